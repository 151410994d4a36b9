// Starts GOV.UK Frontend's components (service navigation menu, accordions,
// skip link focus, error summaries...). Loaded as an ES module, so browsers
// too old for GOV.UK Frontend's JavaScript never run it and get the no-JS page.
import { initAll } from './govuk-frontend.min.js';
import './archive.js';

initAll();
