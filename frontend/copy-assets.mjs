// Copies the browser files that need no compiling into static_build/, which
// Django serves through STATICFILES_DIRS. Plain Node, no dependencies, so it
// runs the same on Linux, macOS and Windows.
import { copyFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const out = join(root, 'static_build')

const files = [
  // GOV.UK Frontend's JavaScript, an ES module, and its source map (the
  // script names the map, and Django's manifest storage insists it exists).
  [join(govuk, 'govuk-frontend.min.js'), 'js/govuk-frontend.min.js'],
  [join(govuk, 'govuk-frontend.min.js.map'), 'js/govuk-frontend.min.js.map'],
  [join(root, 'frontend', 'js', 'js-enabled.js'), 'js/js-enabled.js'],
  [join(root, 'frontend', 'js', 'site.js'), 'js/site.js'],
  [join(root, 'frontend', 'js', 'archive.js'), 'js/archive.js'],
  // Our own icon; no GOV.UK images are used (see frontend/scss/_brand.scss).
  [join(root, 'frontend', 'images', 'favicon.svg'), 'images/favicon.svg']
]

for (const [source, target] of files) {
  const destination = join(out, target)
  mkdirSync(dirname(destination), { recursive: true })
  copyFileSync(source, destination)
}
