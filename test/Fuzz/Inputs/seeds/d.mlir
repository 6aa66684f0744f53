func.func @j0(%a: tensor<8x16xf32>) attributes {n = 0 : i64} { return }
func.func @j1(%a: tensor<16x16xf32>) attributes {n = 3 : i64} { return }
func.func @j2(%a: tensor<24x16xf32>) attributes {n = 6 : i64} { return }
"test.op"() {marker = "FUZZ_ASAN"} : () -> ()
func.func @k0(%a: tensor<8x16xf32>) attributes {n = 0 : i64} { return }
func.func @k1(%a: tensor<16x16xf32>) attributes {n = 3 : i64} { return }
func.func @k2(%a: tensor<24x16xf32>) attributes {n = 6 : i64} { return }
