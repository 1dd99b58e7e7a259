// Starts the vendored Swagger UI on /api/docs (a file, not an inline script: the CSP allows only 'self').
(function () {
  'use strict';
  function start() {
    var el = document.getElementById('swagger-ui');
    if (typeof SwaggerUIBundle === 'undefined') {
      el.textContent = 'Swagger UI did not load; the schema is at /openapi.json';
      return;
    }
    window.ui = SwaggerUIBundle({ url: el.getAttribute('data-spec'), dom_id: '#swagger-ui', deepLinking: true,
      validatorUrl: null, tryItOutEnabled: false });
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
}());
