// The API reference, rendered by swagger-ui from our own OpenAPI document; validatorUrl null keeps
// it from calling swagger.io. A token from the console's session is sent with "Try it out".
/* global SwaggerUIBundle */
window.ui = SwaggerUIBundle({
  url: '/api/v1/openapi.json',
  dom_id: '#swagger-ui',
  validatorUrl: null,
  deepLinking: true,
  requestInterceptor: (req) => {
    const token = sessionStorage.getItem('kuaiji.token');
    if (token && !req.headers.Authorization) req.headers.Authorization = `Bearer ${token}`;
    return req;
  },
});
