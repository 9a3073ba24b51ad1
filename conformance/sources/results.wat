;; fixture-results 1.0.0: a hand-written module that follows Molt ABI 1.0, except
;; that most of its exports return results a host must refuse. It tests the host's
;; side of the boundary: results are decoded strictly and checked against the
;; output schema, and error maps must carry a registry code of phase boundary or
;; runtime (spec/abi.yaml call_sequence, "decode and check").
;;
;; Every export takes the empty map and ignores it; each returns a constant message
;; from the data below, with status 0 (a result) or 1 (an error map). The interface
;; (results.interface.json) documents each one. Built by conformance/generate.py.
;;
;; Memory layout: constant messages at 64-byte slots from 256, the input buffer and
;; arena from 4096. A result is packed into an i64 as (ptr << 32) | (status << 31) | len.
(module
  (memory (export "memory") 1)

  (global $arena_base (mut i32) (i32.const 4096))
  (global $arena (mut i32) (i32.const 4096))

  ;; @256, 1 bytes: ok
  (data (i32.const 256) "\2a")
  ;; @320, 2 bytes: trailing_byte
  (data (i32.const 320) "\01\00")
  ;; @384, 3 bytes: ext_type
  (data (i32.const 384) "\d4\01\00")
  ;; @448, 6 bytes: timestamp
  (data (i32.const 448) "\d6\ff\00\00\00\00")
  ;; @512, 3 bytes: invalid_utf8
  (data (i32.const 512) "\a2\c3\28")
  ;; @576, 9 bytes: uint64_max
  (data (i32.const 576) "\cf\ff\ff\ff\ff\ff\ff\ff\ff")
  ;; @640, 3 bytes: truncated
  (data (i32.const 640) "\a5\61\62")
  ;; @704, 2 bytes: wrong_type
  (data (i32.const 704) "\a1\61")
  ;; @768, 39 bytes: unknown_code
  (data (i32.const 768) "\82\a4\63\6f\64\65\ab\4d\4f\4c\54\2d\45\2d\4e\4f\50\45\a7\6d\65\73\73\61\67\65\ac\6e\6f\20\73\75\63\68\20\63\6f\64\65")
  ;; @832, 62 bytes: load_code
  (data (i32.const 832) "\82\a4\63\6f\64\65\b4\4d\4f\4c\54\2d\45\2d\48\41\53\48\2d\4d\49\53\4d\41\54\43\48\a7\6d\65\73\73\61\67\65\ba\61\20\6c\6f\61\64\20\65\72\72\6f\72\20\66\72\6f\6d\20\61\20\6d\6f\64\75\6c\65")
  ;; @896, 4 bytes: error_not_map
  (data (i32.const 896) "\a3\62\61\64")
  ;; @960, 19 bytes: error_without_message
  (data (i32.const 960) "\81\a4\63\6f\64\65\ac\4d\4f\4c\54\2d\45\2d\56\41\4c\55\45")
  ;; @1024, 168 bytes: boundary_error
  (data (i32.const 1024) "\83\a4\63\6f\64\65\b7\4d\4f\4c\54\2d\45\2d\53\43\48\45\4d\41\2d\56\49\4f\4c\41\54\49\4f\4e\a7\6d\65\73\73\61\67\65\d9\77\62\6f\75\6e\64\61\72\79\5f\65\72\72\6f\72\3a\20\69\6e\70\75\74\20\61\74\20\24\2e\78\20\64\6f\65\73\20\6e\6f\74\20\6d\61\74\63\68\20\74\68\65\20\73\63\68\65\6d\61\3a\20\65\78\70\65\63\74\65\64\20\69\6e\74\65\67\65\72\2c\20\67\6f\74\20\73\74\72\69\6e\67\3b\20\73\65\6e\64\20\61\20\76\61\6c\75\65\20\6f\66\20\74\68\65\20\64\65\63\6c\61\72\65\64\20\74\79\70\65\a4\70\61\74\68\a3\24\2e\78")

  ;; 1.0 = 1 << 16 | 0
  (func (export "molt_abi_version") (result i32)
    (i32.const 65536))

  ;; Reserve the input buffer at the arena base, growing memory when needed.
  ;; Returns 0 when memory cannot grow.
  (func (export "molt_alloc") (param $len i32) (result i32)
    (local $end i64)
    (local $have i64)
    (local.set $end
      (i64.add (i64.const 4096) (i64.extend_i32_u (local.get $len))))
    (if (i64.ge_u (local.get $end) (i64.const 0x100000000))
      (then (return (i32.const 0))))
    (local.set $have (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
    (if (i64.gt_u (local.get $end) (local.get $have))
      (then
        (if (i32.eq
              (memory.grow
                (i32.wrap_i64
                  (i64.shr_u
                    (i64.add (i64.sub (local.get $end) (local.get $have)) (i64.const 0xffff))
                    (i64.const 16))))
              (i32.const -1))
          (then (return (i32.const 0))))))
    (global.set $arena_base (i32.wrap_i64 (local.get $end)))
    (global.set $arena (global.get $arena_base))
    (i32.const 4096))

  (func (export "molt_call_boundary_error") (param $ptr i32) (param $len i32) (result i64)
    (global.set $arena (global.get $arena_base))
    ;; status 1: 168 bytes at 1024
    (i64.const 0x00000400_800000a8))

  (func (export "molt_call_error_not_map") (param $ptr i32) (param $len i32) (result i64)
    (global.set $arena (global.get $arena_base))
    ;; status 1: 4 bytes at 896
    (i64.const 0x00000380_80000004))

  (func (export "molt_call_error_without_message") (param $ptr i32) (param $len i32) (result i64)
    (global.set $arena (global.get $arena_base))
    ;; status 1: 19 bytes at 960
    (i64.const 0x000003c0_80000013))

  (func (export "molt_call_ext_type") (param $ptr i32) (param $len i32) (result i64)
    (global.set $arena (global.get $arena_base))
    ;; status 0: 3 bytes at 384
    (i64.const 0x00000180_00000003))

  (func (export "molt_call_invalid_utf8") (param $ptr i32) (param $len i32) (result i64)
    (global.set $arena (global.get $arena_base))
    ;; status 0: 3 bytes at 512
    (i64.const 0x00000200_00000003))

  (func (export "molt_call_load_code") (param $ptr i32) (param $len i32) (result i64)
    (global.set $arena (global.get $arena_base))
    ;; status 1: 62 bytes at 832
    (i64.const 0x00000340_8000003e))

  (func (export "molt_call_ok") (param $ptr i32) (param $len i32) (result i64)
    (global.set $arena (global.get $arena_base))
    ;; status 0: 1 bytes at 256
    (i64.const 0x00000100_00000001))

  (func (export "molt_call_timestamp") (param $ptr i32) (param $len i32) (result i64)
    (global.set $arena (global.get $arena_base))
    ;; status 0: 6 bytes at 448
    (i64.const 0x000001c0_00000006))

  (func (export "molt_call_trailing_byte") (param $ptr i32) (param $len i32) (result i64)
    (global.set $arena (global.get $arena_base))
    ;; status 0: 2 bytes at 320
    (i64.const 0x00000140_00000002))

  (func (export "molt_call_truncated") (param $ptr i32) (param $len i32) (result i64)
    (global.set $arena (global.get $arena_base))
    ;; status 0: 3 bytes at 640
    (i64.const 0x00000280_00000003))

  (func (export "molt_call_uint64_max") (param $ptr i32) (param $len i32) (result i64)
    (global.set $arena (global.get $arena_base))
    ;; status 0: 9 bytes at 576
    (i64.const 0x00000240_00000009))

  (func (export "molt_call_unknown_code") (param $ptr i32) (param $len i32) (result i64)
    (global.set $arena (global.get $arena_base))
    ;; status 1: 39 bytes at 768
    (i64.const 0x00000300_80000027))

  (func (export "molt_call_wrong_type") (param $ptr i32) (param $len i32) (result i64)
    (global.set $arena (global.get $arena_base))
    ;; status 0: 2 bytes at 704
    (i64.const 0x000002c0_00000002))
)
