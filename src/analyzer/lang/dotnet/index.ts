export { dotnetAnalyzers } from './deps-json.js';
