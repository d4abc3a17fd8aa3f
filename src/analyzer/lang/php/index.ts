export { phpAnalyzers } from './composer.js';
