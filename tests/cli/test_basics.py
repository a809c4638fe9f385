"""seqdl's top level: help, version, global options, unknown commands and bad option values."""
import json
import re

from seqdl_test import CliTest, main


class Basics(CliTest):
    def test_help_lists_every_subcommand(self):
        out = self.seqdl("--help").stdout.decode()
        self.assertIn("Subcommands:", out)
        for name in ["encode", "info", "motifs", "simulate", "train"]:
            self.assertRegex(out, rf"\n\s+{name}\s+\S")
        for opt in ["--threads", "--verbose", "--quiet", "--seed", "--version"]:
            self.assertIn(opt, out)

    def test_every_subcommand_has_help_with_an_example(self):
        out = self.seqdl("--help").stdout.decode()
        names = re.findall(r"^\s{2}(\w+)\s{2,}", out.split("Subcommands:")[1], re.M)
        self.assertTrue(names)
        for name in names:
            sub = self.seqdl(name, "--help").stdout.decode()
            self.assertIn("Example", sub, name)
            self.assertIn(f"seqdl {name}", sub.split("Example")[1], name)
            if "Subcommands:" in sub:  # command groups (seqdl motifs ...): every member too
                for member in re.findall(r"^\s{2}(\w+)\s{2,}", sub.split("Subcommands:")[1], re.M):
                    text = self.seqdl(name, member, "--help").stdout.decode()
                    self.assertIn(f"seqdl {name} {member}", text.split("Example")[1], f"{name} {member}")

    def test_version_names_seqdl_libtorch_and_htslib(self):
        out = self.seqdl("--version").stdout.decode()
        self.assertRegex(out, r"^seqdl \d+\.\d+\.\d+\n")
        self.assertRegex(out, r"libtorch 1\.13")
        self.assertRegex(out, r"htslib 1\.\d+")

    def test_no_command_prints_help_and_exits_2(self):
        r = self.run_seqdl()
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"Subcommands:", r.stderr)

    def test_unknown_subcommand(self):
        self.assert_error("frobnicate", pattern=r"unknown command 'frobnicate'")

    def test_bad_option_values(self):
        self.assert_error("--threads", "many", "info", "--system", command="info",
                          pattern=r"--threads: expected an integer >= 0, found 'many'$")
        self.assert_error("--threads", "-3", "info", "--system", command="info",
                          pattern=r"--threads: expected an integer >= 0, found '-3'$")
        self.assert_error("info", "--no-such-option", command="info", pattern=r"--no-such-option")

    def test_choice_options_name_the_accepted_words(self):
        # Every word-valued option is checked against the library's table: exit 2 and the accepted words.
        cases = [
            ("encode", ["x.fa", "-o", "x.npy", "--dtype", "int8"], "--dtype", ["float32", "uint8"]),
            ("simulate", ["--motifs", "m.meme", "-o", "d", "--position", "middle"], "--position",
             ["uniform", "centre", "center"]),
            ("motifs", ["extract", "--model", "m.seqdl", "--sequences", "x.fa", "-o", "x.meme", "--sites", "most"],
             "--sites", ["all", "best"]),
            ("motifs", ["extract", "--model", "m.seqdl", "--sequences", "x.fa", "-o", "x.meme",
                        "--influence-scale", "log"], "--influence-scale", ["probability", "logit"]),
            ("motifs", ["scan", "m.meme", "x.fa", "-o", "x.tsv", "--format", "gff"], "--format", ["tsv", "bed"]),
            ("train", ["--class", "a=x.fa", "-o", "m.seqdl", "--negatives", "random"], "--negatives",
             ["shuffle", "gc-matched"]),
        ]
        for command, args, option, words in cases:
            with self.subTest(option=option):
                r = self.run_seqdl(command, *args)
                err = r.stderr.decode(errors="replace")
                self.assertEqual(r.returncode, 2, err)
                self.assertIn(option, err)
                for word in words:
                    self.assertIn(word, err)

    def test_verbose_and_quiet_conflict(self):
        self.assert_error("-v", "-q", "info", "--system", command="info", pattern=r"--verbose and --quiet")

    def test_threads_reach_libtorch(self):
        for n in (1, 2, 3):
            info = json.loads(self.seqdl("--threads", n, "info", "--system", "--json").stdout)
            self.assertEqual(info["threads"], n)
            self.assertEqual(info["torch_intra_op_threads"], n)
        # Global options may also follow the subcommand.
        info = json.loads(self.seqdl("info", "--system", "--json", "-t", "2").stdout)
        self.assertEqual(info["torch_intra_op_threads"], 2)

    def test_default_threads_is_all_cores(self):
        info = json.loads(self.seqdl("info", "--system", "--json").stdout)
        self.assertEqual(info["threads"], info["cores_available"])
        self.assertEqual(info["torch_intra_op_threads"], info["cores_available"])
        self.assertFalse(info["reference_blas"], info["blas_library"])


if __name__ == "__main__":
    main()
