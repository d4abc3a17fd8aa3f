export { rubyAnalyzers } from './ruby.js';
