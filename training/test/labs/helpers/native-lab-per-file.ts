// The lab tests' native lab per file lives in @firedrill/lab-infra/testing (the console's end-to-end
// test uses it too); this name stays for the lab tests that import it from here.
export { nativeLabPerFile } from '@firedrill/lab-infra/testing';
