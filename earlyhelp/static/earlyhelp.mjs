// Starts every GOV.UK Frontend component on the page.
import { initAll } from './govuk/govuk-frontend.min.js'

initAll()

// After signing out, drafts kept in this browser (assessments.mjs) are removed: they are
// personal data on a device that someone else may use next. A session timeout keeps them.
if (document.querySelector('[data-forget-drafts]')) {
  try {
    for (const key of Object.keys(window.localStorage)) {
      if (key.startsWith('earlyhelp-draft:')) window.localStorage.removeItem(key)
    }
  } catch (error) {
    // Storage may be switched off: then nothing was kept.
  }
}
