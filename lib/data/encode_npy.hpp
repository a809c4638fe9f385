// `seqdl encode`: sequences from any source to a one-hot .npy array [n, 4, length] plus an ids file,
// streamed (memory does not grow with the number of sequences).
#pragma once

#include <cstdint>
#include <string>

#include "data/sequence_source.hpp"
#include "encode/one_hot.hpp"
#include "io/npy.hpp"

namespace seqdl::data {

struct EncodeOptions {
  SourceSpec source;
  std::string output;      // .npy
  std::string ids_output;  // one id per line; default: the output with .npy replaced by .ids.txt
  int64_t length = 0;      // crop/pad every sequence to this length (0: all must have the same length)
  char pad = 'N';
  encode::Unknown unknown = encode::Unknown::zero;
  io::NpyType dtype = io::NpyType::float32;
  bool reverse_complement = false;
};

struct EncodeSummary {
  int64_t sequences = 0;
  int64_t length = 0;
  uint64_t cropped = 0, padded = 0;   // sequences longer / shorter than --length
  uint64_t off_contig = 0;            // genome windows padded with N past a contig end
  std::string ids_output;
};

EncodeSummary encode_to_npy(const EncodeOptions& options);

// The default ids file for an output: x.npy -> x.ids.txt
std::string default_ids_path(const std::string& npy_path);

}  // namespace seqdl::data
