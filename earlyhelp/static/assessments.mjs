// Autosave for assessment contributions: nothing typed is lost, even when the session ends.
//
// While the practitioner types, the form is kept in this browser (localStorage) at once and
// sent to the server's draft endpoint a few seconds later. If the session has ended (the
// server answers with a redirect to sign in, 401 or 403) the text stays in the browser and
// the page says how to sign in again; back on the page after signing in, the text is put
// back in the form and saved. The browser's copy is removed once the server has it, or once
// the contribution is saved. Without JavaScript the form simply posts.

const SAVE_AFTER_MS = 2000
const FIELDS = [
  'subject', 'dimension', 'strengths', 'need', 'need_outcome',
  'sleeping_arrangements', 'safer_sleep_advice', 'category'
]

function readFields (form) {
  const fields = {}
  for (const name of FIELDS) {
    const elements = form.querySelectorAll(`[name="${name}"]`)
    if (!elements.length) continue
    const first = elements[0]
    if (first.type === 'radio') {
      const checked = form.querySelector(`[name="${name}"]:checked`)
      fields[name] = checked ? checked.value : ''
    } else {
      fields[name] = first.value
    }
  }
  return fields
}

function writeFields (form, fields) {
  for (const [name, value] of Object.entries(fields)) {
    const elements = form.querySelectorAll(`[name="${name}"]`)
    for (const element of elements) {
      if (element.type === 'radio') {
        element.checked = element.value === value
      } else {
        element.value = value
      }
    }
  }
}

function sameFields (a, b) {
  return FIELDS.every((name) => (a[name] || '') === (b[name] || ''))
}

function loadLocal (key) {
  try {
    const found = JSON.parse(window.localStorage.getItem(key) || 'null')
    return found && typeof found === 'object' && found.fields ? found : null
  } catch {
    return null
  }
}

function storeLocal (key, fields) {
  try {
    window.localStorage.setItem(key, JSON.stringify({ fields, savedAt: Date.now() }))
  } catch {
    // Storage full or disabled: the server copy is all there is.
  }
}

function forgetLocal (key) {
  try {
    window.localStorage.removeItem(key)
  } catch {}
}

function notify (page, message) {
  const banner = page.querySelector('[data-autosave-notice]')
  const text = page.querySelector('[data-autosave-notice-text]')
  if (!banner || !text) return
  text.textContent = ''
  if (typeof message === 'string') {
    text.textContent = message
  } else {
    text.append(...message)
  }
  banner.hidden = false
  banner.focus()
}

function startAutosave (form) {
  const key = form.dataset.autosaveKey
  const url = form.dataset.autosaveUrl
  const status = form.querySelector('[data-autosave-status]')
  const serverSavedAt = Number(form.dataset.draftSavedAt || '0')
  let timer = null
  let signedOut = false
  let lastSent = readFields(form)

  const say = (message) => { if (status) status.textContent = message }

  const signedOutNotice = () => {
    const link = document.createElement('a')
    link.className = 'govuk-notification-banner__link'
    link.href = form.dataset.signInUrl
    link.textContent = 'Sign in again'
    notify(document, [
      'You have been signed out. What you type is kept on this device and nothing is lost. ',
      link,
      ' and come back to this page to save it.'
    ])
  }

  async function save () {
    timer = null
    const fields = readFields(form)
    const body = new URLSearchParams(fields)
    const token = form.querySelector('[name="csrfmiddlewaretoken"]')
    if (token) body.set('csrfmiddlewaretoken', token.value)
    let response
    try {
      response = await fetch(url, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        redirect: 'manual',
        headers: { Accept: 'application/json', 'X-Requested-With': 'fetch' }
      })
    } catch {
      say('Not saved to the server yet (no connection). Kept on this device.')
      return
    }
    if (response.type === 'opaqueredirect' || [401, 403].includes(response.status) ||
        (response.status >= 300 && response.status < 400)) {
      if (!signedOut) signedOutNotice()
      signedOut = true
      say('Signed out: kept on this device only.')
      return
    }
    if (!response.ok) {
      say('Not saved to the server yet. Kept on this device.')
      return
    }
    lastSent = fields
    if (sameFields(fields, readFields(form))) forgetLocal(key)
    say(`Draft saved at ${new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`)
  }

  const changed = () => {
    const fields = readFields(form)
    if (sameFields(fields, lastSent)) return
    storeLocal(key, fields)
    if (signedOut) return
    if (timer) window.clearTimeout(timer)
    timer = window.setTimeout(save, SAVE_AFTER_MS)
  }

  // Back after signing in again (or after a crash): the browser's copy is newer than the
  // server's draft, so it goes back in the form, and to the server.
  const local = loadLocal(key)
  if (local && local.savedAt > serverSavedAt && !sameFields(local.fields, readFields(form))) {
    writeFields(form, local.fields)
    notify(document, 'What you typed before you were signed out has been restored. ' +
      'It is being saved as a draft now; save the contribution when you are ready.')
    lastSent = {}
    save()
  } else if (local) {
    forgetLocal(key)
  }

  form.addEventListener('input', changed)
  form.addEventListener('change', changed)
}

// On the assessment page after a contribution was saved: the browser's copy is done with.
for (const saved of document.querySelectorAll('[data-autosave-saved]')) {
  forgetLocal(saved.dataset.autosaveSaved)
}

for (const form of document.querySelectorAll('form[data-autosave]')) {
  startAutosave(form)
}
