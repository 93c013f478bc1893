// Swagger UI for /api/openapi.json (kept out of the page so the CSP needs no inline script).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
