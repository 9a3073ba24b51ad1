;; The Extism peer of fixture-echo, for benchmarks/host.py: an Extism plugin
;; whose export `echo` returns its input bytes unchanged.
;;
;; An Extism plugin cannot see the host's input and output buffers directly:
;; they live in the memory of Extism's kernel, reached only through the host
;; functions of the `extism:host/env` module. So `echo` copies the input into a
;; kernel block 8 bytes per pair of calls (input_load_u64, store_u64), the last
;; 0-7 bytes one at a time (input_load_u8, store_u8), and hands the block back
;; with output_set. This is the copy an Extism PDK makes for every input and
;; output; Molt's fixture, by contrast, returns its result in place.
;;
;; Signatures (Extism kernel ABI; every pointer and length is an i64):
;;   input_length() -> i64             input_load_u64(offset) -> i64
;;   input_load_u8(offset) -> i32      alloc(length) -> i64 (a kernel block)
;;   store_u64(block_offset, value)    store_u8(block_offset, value: i32)
;;   output_set(block, length)
;; An export takes no parameters and returns an i32: 0 for success.
(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u64" (func $input_load_u64 (param i64) (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))

  (memory (export "memory") 1)

  (func (export "echo") (result i32)
    (local $length i64)
    (local $whole i64)
    (local $block i64)
    (local $at i64)
    (local.set $length (call $input_length))
    (local.set $block (call $alloc (local.get $length)))
    ;; the length rounded down to a multiple of 8
    (local.set $whole (i64.and (local.get $length) (i64.const -8)))
    (block $words_done
      (loop $words
        (br_if $words_done (i64.ge_u (local.get $at) (local.get $whole)))
        (call $store_u64
          (i64.add (local.get $block) (local.get $at))
          (call $input_load_u64 (local.get $at)))
        (local.set $at (i64.add (local.get $at) (i64.const 8)))
        (br $words)))
    (block $bytes_done
      (loop $bytes
        (br_if $bytes_done (i64.ge_u (local.get $at) (local.get $length)))
        (call $store_u8
          (i64.add (local.get $block) (local.get $at))
          (call $input_load_u8 (local.get $at)))
        (local.set $at (i64.add (local.get $at) (i64.const 1)))
        (br $bytes)))
    (call $output_set (local.get $block) (local.get $length))
    (i32.const 0))
)
