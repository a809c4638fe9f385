#include <gtest/gtest.h>

#include "util/provenance.hpp"

namespace seqdl {

TEST(Provenance, CommandLineQuotesWhatAShellWouldSplit) {
  Provenance p;
  p.argv = {"seqdl", "train", "--class", "pos=a b.fa", "--note", "it's", "", "-o", "m.seqdl"};
  // What `sh -c` reads back as the same arguments: plain words bare, the rest in single quotes.
  EXPECT_EQ(p.command_line(), "seqdl train --class 'pos=a b.fa' --note 'it'\\''s' '' -o m.seqdl");
  EXPECT_EQ(Provenance{}.command_line(), "");
  p.argv = {"x"};
  EXPECT_EQ(p.command_line(), "x");
}

}  // namespace seqdl
