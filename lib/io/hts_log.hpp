// htslib prints its own diagnostics to stderr ("[E::fai_build3_core] ..."). seqdl reports problems as one
// line of its own, so htslib is silenced unless the user asks for verbose output.
#pragma once

namespace seqdl::io {

// Sets htslib's process-wide log level (warnings when verbose, else nothing). Call it at start-up, before
// other threads use htslib.
void set_htslib_verbosity(bool verbose);
const char* htslib_version();  // e.g. "1.16"; a static string

}  // namespace seqdl::io
