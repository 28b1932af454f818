// How untrusted values are shown and escaped (policies/lib/display), for the layers that reach the
// pack's readers only through the model (the CLI).
export {
  describeValue,
  escapeControls,
  escapeJsonText,
  hasControlCharacters,
  isShowable,
  redactTokens,
  redactValue,
  safeText,
} from "../policies/lib/display";
