// htslib prints its own diagnostics to stderr ("[E::fai_build3_core] ..."). seqdl reports problems as one
// line of its own, so htslib is silenced unless the user asks for verbose output.
#pragma once

namespace seqdl::io {

void set_htslib_verbosity(bool verbose);
const char* htslib_version();

}  // namespace seqdl::io
