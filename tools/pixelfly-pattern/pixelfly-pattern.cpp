//===- pixelfly-pattern.cpp - Print flat block butterfly masks ------------===//
//
// Part of the pixelfly-mlir project.
//
// Prints the block mask of a flat block butterfly layout (DESIGN.md section
// 4) as text, and optionally as a PNG picture. The text format and the error
// format are stable interfaces read by tests and other tools; see
// docs/PixelflyPattern.md.
//
// Options are parsed by hand rather than with llvm::cl: llvm::cl prints some
// of its errors (a missing value, a bad value for its own options) straight
// to stderr in its own format, and every error here must start with
// "pixelfly-pattern: error:". It also keeps the tool free of libLLVM.
//
//===----------------------------------------------------------------------===//

#include "Png.h"

#include "pixelfly/Patterns/Butterfly.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace patterns = mlir::pixelfly::patterns;

namespace {

// Messages always use this name, whatever argv[0] is, so that scripts and
// tests can match them.
constexpr const char *kToolName = "pixelfly-pattern";

// Refuse a PNG of more than 2^30 pixels (1 GiB of stored pixel data).
constexpr uint64_t kMaxPngPixels = uint64_t{1} << 30;
// Without --png-scale, blocks are scaled up so that the longer side of the
// picture is at most this many pixels (and at least one pixel per block).
constexpr int64_t kAutoPngSide = 512;

constexpr const char *kUsage =
    R"(OVERVIEW: print the block mask of a flat block butterfly layout

USAGE: pixelfly-pattern --butterfly-size S --factors F --block B --shape NxK
                        [--global G] [--png FILE [--png-scale P]]

Prints one line per block row, made of the characters 0 and 1 (one per block
column, 1 when the block is stored), then a last line `density: D`, where D
is (stored blocks) / (all blocks) written as the shortest fixed-notation
decimal that reads back as the same IEEE double (0.375, 1,
0.3333333333333333). Errors go to stderr as `pixelfly-pattern: error: ...`,
with exit status 1 and nothing on stdout.

OPTIONS (--name VALUE, --name=VALUE, -name VALUE and -name=VALUE all work;
numbers are decimal integers):
  --butterfly-size S  side of the butterfly mask (butterfly_size): a power of
                      2, at least 2. Required.
  --factors F         number of butterfly factors (n_factors), strides
                      1, 2, 4, ...: 1 to log2(S). Required.
  --block B           side of the square blocks, in elements (block):
                      positive, divides N and K. Required.
  --shape NxK         weight shape: N rows (output features) by K columns
                      (input features), multiples of S and of B. Required.
  --global G          leading rows and columns, in elements, made dense
                      (global_size): non-negative. Default 0.
  --png FILE          also write the mask as an 8-bit grayscale PNG, one
                      P x P square per block: stored blocks black (0),
                      others white (255).
  --png-scale P       pixels per block side in the PNG: positive. Default:
                      the largest scale that keeps the longer side within
                      512 pixels, at least 1.
  --help, -h          print this help and exit.
  --version           print the version and exit.

EXAMPLE:
  pixelfly-pattern --butterfly-size 8 --factors 2 --block 32 --shape 256x256
)";

void error(const std::string &message) {
  std::fprintf(stderr, "%s: error: %s\n", kToolName, message.c_str());
}

void note(const std::string &message) {
  std::fprintf(stderr, "%s: note: %s\n", kToolName, message.c_str());
}

/// Values of the options, as given (parsed after all of argv was read).
struct CommandLine {
  std::optional<std::string> butterflySize, factors, block, shape, global, png,
      pngScale;
};

struct OptionSpec {
  const char *name;
  std::optional<std::string> CommandLine::*value;
  bool required;
};

constexpr OptionSpec kOptions[] = {
    {"butterfly-size", &CommandLine::butterflySize, true},
    {"factors", &CommandLine::factors, true},
    {"block", &CommandLine::block, true},
    {"shape", &CommandLine::shape, true},
    {"global", &CommandLine::global, false},
    {"png", &CommandLine::png, false},
    {"png-scale", &CommandLine::pngScale, false},
};

size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

enum class ParseResult { Ok, Error, Exit };

/// Reads argv into `cl`. --help and --version are handled on the spot (like
/// llvm::cl does); the first error is reported and stops parsing.
ParseResult parseCommandLine(int argc, char **argv, CommandLine &cl) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.size() < 2 || arg[0] != '-') {
      error("unexpected argument '" + std::string(arg) +
            "' (pixelfly-pattern takes only options; see --help)");
      return ParseResult::Error;
    }
    std::string_view body = arg.substr(arg[1] == '-' ? 2 : 1);
    size_t eq = body.find('=');
    std::string_view name = body.substr(0, eq);
    std::optional<std::string_view> inlineValue;
    if (eq != std::string_view::npos)
      inlineValue = body.substr(eq + 1);

    if (name == "help" || name == "h" || name == "version") {
      if (inlineValue) {
        error("'" + std::string(arg) + "': this option takes no value");
        return ParseResult::Error;
      }
      if (name == "version")
        std::printf("%s (pixelfly-mlir)\n", kToolName);
      else
        std::fputs(kUsage, stdout);
      return ParseResult::Exit;
    }

    const OptionSpec *spec = nullptr;
    for (const OptionSpec &candidate : kOptions)
      if (name == candidate.name)
        spec = &candidate;
    if (!spec) {
      error("unknown option '" + std::string(arg) + "' (see --help)");
      const char *best = nullptr;
      size_t bestDistance = 3; // suggest only close misspellings
      for (const OptionSpec &candidate : kOptions) {
        size_t d = editDistance(name, candidate.name);
        if (d < bestDistance) {
          bestDistance = d;
          best = candidate.name;
        }
      }
      if (best)
        note("did you mean '--" + std::string(best) + "'?");
      return ParseResult::Error;
    }

    std::optional<std::string> &slot = cl.*(spec->value);
    if (slot) {
      error("--" + std::string(spec->name) + " is given more than once");
      return ParseResult::Error;
    }
    if (inlineValue) {
      slot = std::string(*inlineValue);
    } else if (i + 1 < argc) {
      // The next argument is the value even when it starts with '-', so that
      // `--global -1` reaches the range check.
      slot = std::string(argv[++i]);
    } else {
      error("--" + std::string(spec->name) + " needs a value");
      return ParseResult::Error;
    }
  }

  bool missing = false;
  for (const OptionSpec &spec : kOptions) {
    if (spec.required && !(cl.*(spec.value))) {
      error("missing required option --" + std::string(spec.name));
      missing = true;
    }
  }
  return missing ? ParseResult::Error : ParseResult::Ok;
}

bool isDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
}

/// Parses a decimal integer with an optional leading '-' and nothing else
/// (no '+', spaces or radix prefix). Returns an empty string on success,
/// otherwise the reason.
std::string parseInteger(std::string_view text, int64_t &value) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative)
    text.remove_prefix(1);
  if (!isDigits(text))
    return "is not an integer";
  // Magnitude limit: 2^63 for negative numbers, 2^63 - 1 otherwise.
  uint64_t limit =
      uint64_t(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
  uint64_t magnitude = 0;
  for (char c : text) {
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (limit - digit) / 10)
      return "is out of range";
    magnitude = magnitude * 10 + digit;
  }
  value = negative ? static_cast<int64_t>(0 - magnitude)
                   : static_cast<int64_t>(magnitude);
  return {};
}

/// Parses the integer value of option `name`; reports and returns false on
/// error.
bool parseIntegerOption(const char *name, const std::string &text,
                        int64_t &value) {
  std::string why = parseInteger(text, value);
  if (why.empty())
    return true;
  error("--" + std::string(name) + ": '" + text + "' " + why);
  return false;
}

/// Parses `NxK`: two unsigned decimal integers joined by a lowercase 'x'.
bool parseShape(const std::string &text, int64_t &n, int64_t &k) {
  size_t x = text.find('x');
  std::string_view view = text;
  std::string_view first = view.substr(0, x);
  std::string_view second =
      x == std::string_view::npos ? std::string_view() : view.substr(x + 1);
  if (!isDigits(first) || !isDigits(second)) {
    error("--shape: expected NxK, two decimal integers such as 256x512, "
          "got '" +
          text + "'");
    return false;
  }
  if (!parseInteger(first, n).empty() || !parseInteger(second, k).empty()) {
    error("--shape: '" + text + "' is out of range");
    return false;
  }
  return true;
}

/// The density line's number: the shortest fixed-notation decimal that
/// reads back as `value` (std::to_chars without a precision).
std::string formatDensity(double value) {
  char buffer[128];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value,
                              std::chars_format::fixed);
  return std::string(buffer, result.ptr);
}

/// Writes the layout as a PNG, `scale x scale` pixels per block. Removes a
/// partly written file when writing fails.
bool writePng(const patterns::BlockLayout &layout, int64_t scale,
              const std::string &path) {
  int64_t rows = layout.n / layout.bm, cols = layout.k / layout.bk;
  std::FILE *file = std::fopen(path.c_str(), "wb");
  if (!file) {
    error("cannot open '" + path + "': " + std::strerror(errno));
    return false;
  }
  auto getRow = [&](uint32_t y, uint8_t *row) {
    int64_t blockRow = static_cast<int64_t>(y) / scale;
    std::fill(row, row + cols * scale, uint8_t{255});
    for (int64_t p = layout.rowPtr[blockRow]; p < layout.rowPtr[blockRow + 1];
         ++p) {
      uint8_t *first = row + layout.colIdx[p] * scale;
      std::fill(first, first + scale, uint8_t{0});
    }
  };
  auto write = [&](const uint8_t *data, size_t size) {
    std::fwrite(data, 1, size, file);
  };
  // The caller checked the size against kMaxPngPixels, far below the PNG
  // limits, so the encoder cannot refuse the dimensions.
  mlir::pixelfly::png::writeGray8(static_cast<uint32_t>(cols * scale),
                                  static_cast<uint32_t>(rows * scale), getRow,
                                  write);
  bool failed = std::ferror(file) != 0;
  int savedErrno = errno;
  if (std::fclose(file) != 0 && !failed) {
    failed = true;
    savedErrno = errno;
  }
  if (failed) {
    error("cannot write '" + path + "': " + std::strerror(savedErrno));
    // Drop the partial picture, but never a device such as /dev/full.
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec))
      std::filesystem::remove(path, ec);
    return false;
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  CommandLine cl;
  switch (parseCommandLine(argc, argv, cl)) {
  case ParseResult::Ok:
    break;
  case ParseResult::Exit:
    return std::fflush(stdout) == 0 ? 0 : 1;
  case ParseResult::Error:
    return 1;
  }

  patterns::FlatButterflyParams params;
  int64_t n = 0, k = 0;
  if (!parseIntegerOption("butterfly-size", *cl.butterflySize,
                          params.butterflySize) ||
      !parseIntegerOption("factors", *cl.factors, params.nFactors) ||
      !parseIntegerOption("block", *cl.block, params.block) ||
      (cl.global &&
       !parseIntegerOption("global", *cl.global, params.globalSize)) ||
      !parseShape(*cl.shape, n, k))
    return 1;

  // The pattern library is the single source of truth for validity; its
  // messages name the parameters as the dialect attribute does
  // (butterfly_size, n_factors, block, global_size).
  if (std::string why = patterns::verifyFlatButterflyShape(params, n, k);
      !why.empty()) {
    error(why);
    return 1;
  }

  // verifyFlatButterflyShape bounded the grid (patterns::kMaxLayoutBlocks)
  // and the work of building it.
  int64_t rows = n / params.block, cols = k / params.block;
  int64_t pngScale = std::max<int64_t>(1, kAutoPngSide / std::max(rows, cols));
  if (cl.pngScale) {
    if (!cl.png) {
      error("--png-scale needs --png");
      return 1;
    }
    if (!parseIntegerOption("png-scale", *cl.pngScale, pngScale))
      return 1;
    if (pngScale < 1) {
      error("--png-scale must be positive, got " + std::to_string(pngScale));
      return 1;
    }
  }
  if (cl.png) {
    if (cl.png->empty()) {
      error("--png: the file name is empty");
      return 1;
    }
    // Overflow-free check of (cols * scale) * (rows * scale) <= limit.
    uint64_t scale = static_cast<uint64_t>(pngScale);
    bool tooLarge = static_cast<uint64_t>(cols) > kMaxPngPixels / scale ||
                    static_cast<uint64_t>(rows) > kMaxPngPixels / scale;
    if (!tooLarge) {
      uint64_t width = cols * scale, height = rows * scale;
      tooLarge = width > kMaxPngPixels / height;
    }
    if (tooLarge) {
      error("a PNG at scale " + std::to_string(pngScale) + " would have " +
            "more than " + std::to_string(kMaxPngPixels) +
            " pixels; use a smaller --png-scale");
      return 1;
    }
  }

  patterns::BlockLayout layout = patterns::flatButterflyLayout(params, n, k);

  // Write the picture first: if that fails, stdout stays empty.
  if (cl.png && !writePng(layout, pngScale, *cl.png))
    return 1;

  std::string line;
  for (int64_t i = 0; i < rows; ++i) {
    line.assign(static_cast<size_t>(cols), '0');
    for (int64_t p = layout.rowPtr[i]; p < layout.rowPtr[i + 1]; ++p)
      line[static_cast<size_t>(layout.colIdx[p])] = '1';
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  std::printf("density: %s\n", formatDensity(layout.density()).c_str());
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    error("cannot write to stdout");
    return 1;
  }
  return 0;
}
