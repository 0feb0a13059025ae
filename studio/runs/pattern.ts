// Run ids never start with a dot: '.' and '..' would name the store or the home folder itself.
// Kept free of Node imports: the browser-side API schema uses it too.
export const RUN_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
