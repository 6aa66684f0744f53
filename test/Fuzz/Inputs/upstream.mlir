// CMD: pixelfly-opt FILE -o /dev/null
// The fake pixelfly-opt crashes in upstream's lexer on this marker.
"test.op"() {marker = "FUZZ_UPSTREAM"} : () -> ()
