//===- Matrix.h - Plain row-major dense matrix ------------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// Plain C++ (no MLIR types, no Eigen): the exchange type of the pattern
// library (2:4 pruning, low-rank fits).
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_PATTERNS_MATRIX_H
#define PIXELFLY_PATTERNS_MATRIX_H

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace mlir::pixelfly::patterns {

/// A dense `rows x cols` matrix of f32 stored row-major: entry (i, j) is
/// `data[i * cols + j]`.
struct Matrix {
  int64_t rows = 0, cols = 0;
  std::vector<float> data;

  Matrix() = default;
  /// A zero-filled `rows x cols` matrix.
  Matrix(int64_t rows, int64_t cols)
      : rows(rows), cols(cols),
        data(static_cast<std::size_t>(rows * cols), 0.0f) {}
  Matrix(int64_t rows, int64_t cols, std::vector<float> data)
      : rows(rows), cols(cols), data(std::move(data)) {
    assert(static_cast<int64_t>(this->data.size()) == rows * cols);
  }

  int64_t size() const { return rows * cols; }
  bool empty() const { return size() == 0; }

  float &operator()(int64_t i, int64_t j) {
    assert(i >= 0 && i < rows && j >= 0 && j < cols);
    return data[static_cast<std::size_t>(i * cols + j)];
  }
  float operator()(int64_t i, int64_t j) const {
    assert(i >= 0 && i < rows && j >= 0 && j < cols);
    return data[static_cast<std::size_t>(i * cols + j)];
  }
  /// Pointer to the first entry of row `i`.
  float *row(int64_t i) { return data.data() + i * cols; }
  const float *row(int64_t i) const { return data.data() + i * cols; }

  /// The `cols x rows` transpose.
  Matrix transposed() const {
    Matrix t(cols, rows);
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        t(j, i) = (*this)(i, j);
    return t;
  }

  /// Compares values (so a NaN entry is never equal); tests that need bit
  /// equality compare `data` bytes.
  friend bool operator==(const Matrix &a, const Matrix &b) {
    return a.rows == b.rows && a.cols == b.cols && a.data == b.data;
  }
  friend bool operator!=(const Matrix &a, const Matrix &b) { return !(a == b); }
};

} // namespace mlir::pixelfly::patterns

#endif // PIXELFLY_PATTERNS_MATRIX_H
