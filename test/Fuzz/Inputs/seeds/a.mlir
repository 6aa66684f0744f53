func.func @a0(%a: tensor<8x16xf32>) attributes {n = 0 : i64} { return }
func.func @a1(%a: tensor<16x16xf32>) attributes {n = 3 : i64} { return }
func.func @a2(%a: tensor<24x16xf32>) attributes {n = 6 : i64} { return }
func.func @a3(%a: tensor<32x16xf32>) attributes {n = 9 : i64} { return }
func.func @a4(%a: tensor<40x16xf32>) attributes {n = 12 : i64} { return }

// -----

func.func @b0(%a: tensor<8x16xf32>) attributes {n = 0 : i64} { return }
func.func @b1(%a: tensor<16x16xf32>) attributes {n = 3 : i64} { return }
func.func @b2(%a: tensor<24x16xf32>) attributes {n = 6 : i64} { return }
func.func @b3(%a: tensor<32x16xf32>) attributes {n = 9 : i64} { return }
func.func @b4(%a: tensor<40x16xf32>) attributes {n = 12 : i64} { return }
func.func @b5(%a: tensor<48x16xf32>) attributes {n = 15 : i64} { return }
// FUZZ_CRASH_A is in a comment: seeds lose comments
"test.op"() {marker = "FUZZ_CRASH_A"} : () -> ()
func.func @c0(%a: tensor<8x16xf32>) attributes {n = 0 : i64} { return }
func.func @c1(%a: tensor<16x16xf32>) attributes {n = 3 : i64} { return }
func.func @c2(%a: tensor<24x16xf32>) attributes {n = 6 : i64} { return }
func.func @c3(%a: tensor<32x16xf32>) attributes {n = 9 : i64} { return }
func.func @c4(%a: tensor<40x16xf32>) attributes {n = 12 : i64} { return }
func.func @c5(%a: tensor<48x16xf32>) attributes {n = 15 : i64} { return }
func.func @c6(%a: tensor<56x16xf32>) attributes {n = 18 : i64} { return }
func.func @c7(%a: tensor<64x16xf32>) attributes {n = 21 : i64} { return }
func.func @c8(%a: tensor<72x16xf32>) attributes {n = 24 : i64} { return }
"test.op"() {marker = "NEEDED_TOO"} : () -> ()
func.func @d0(%a: tensor<8x16xf32>) attributes {n = 0 : i64} { return }
func.func @d1(%a: tensor<16x16xf32>) attributes {n = 3 : i64} { return }
func.func @d2(%a: tensor<24x16xf32>) attributes {n = 6 : i64} { return }
func.func @d3(%a: tensor<32x16xf32>) attributes {n = 9 : i64} { return }

// -----

func.func @e0(%a: tensor<8x16xf32>) attributes {n = 0 : i64} { return }
func.func @e1(%a: tensor<16x16xf32>) attributes {n = 3 : i64} { return }
func.func @e2(%a: tensor<24x16xf32>) attributes {n = 6 : i64} { return }
func.func @e3(%a: tensor<32x16xf32>) attributes {n = 9 : i64} { return }
func.func @e4(%a: tensor<40x16xf32>) attributes {n = 12 : i64} { return }
