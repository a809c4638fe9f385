#include "io/hts_log.hpp"

#include <htslib/hts.h>
#include <htslib/hts_log.h>

namespace seqdl::io {

void set_htslib_verbosity(bool verbose) { hts_set_log_level(verbose ? HTS_LOG_WARNING : HTS_LOG_OFF); }

const char* htslib_version() { return hts_version(); }

}  // namespace seqdl::io
