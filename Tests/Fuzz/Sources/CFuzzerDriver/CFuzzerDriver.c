// Only the header: LLVMFuzzerRunDriver lives in libFuzzer, linked by -sanitize=fuzzer.
