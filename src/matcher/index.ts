export {
  evaluate,
  isAffected,
  comparatorFor,
  evaluateRange,
  entriesFor,
  type Comparator,
  type Evaluation,
  type Verdict,
  type InvalidVersion,
} from './evaluate.js';
export { semverComparator } from './semver-comparator.js';
