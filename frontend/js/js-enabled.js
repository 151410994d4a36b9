// Loaded synchronously at the top of <body> (no inline script: the Content-Security-Policy forbids it), so
// GOV.UK Frontend's "JavaScript is on" styles apply before the page first paints.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
