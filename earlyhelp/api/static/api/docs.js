// Swagger UI for /api/v1/docs. A file, not an inline script: the CSP allows only 'self'.
(function () {
  "use strict";
  var data = document.body.dataset;
  window.SwaggerUIBundle({
    url: data.openapiUrl,
    dom_id: "#swagger-ui",
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // The public validator is a network call the CSP forbids and offline machines cannot make.
    validatorUrl: null,
    requestInterceptor: function (request) {
      // The session is the credential here; changes need the CSRF token.
      if (request.method && ["GET", "HEAD", "OPTIONS"].indexOf(request.method.toUpperCase()) < 0) {
        request.headers["X-CSRFToken"] = data.csrfToken;
      }
      return request;
    },
  });
})();
