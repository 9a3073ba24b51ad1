;; stats 1.0.0: the example module of `molt demo`, written by hand in WebAssembly
;; text until the compiler can build it from Python (issue 5). It follows Molt ABI 1.0
;; (spec/abi.yaml) exactly: no imports; exports memory, molt_abi_version, molt_alloc
;; and one molt_call_<name> per export of its molt.interface section
;; (stats.interface.json):
;;
;;   mean(values: list[float]) -> float    sum / count; an empty list is MOLT-E-VALUE
;;   total(values: list[float]) -> float   the sum; 0.0 for an empty list
;;
;; The sum is added left to right in float64, starting from 0.0. The result is one
;; float64 (cb + 8 bytes big-endian); every NaN is written as the canonical quiet NaN
;; 7ff8000000000000, whatever payload the arithmetic produced.
;;
;; The module decodes its input itself, so the schema boundary holds inside the module
;; too, not only in the host. The input is one strict MessagePack map: str keys
;; (any str format), exactly the key "values" once, holding an array (fixarray,
;; array 16, array 32) of numbers: float64, float32 (promoted), or integers of any
;; format within signed 64-bit (converted to the nearest double). The decoder reads
;; left to right and reports the first problem it meets, with the JSON path where
;; it stopped:
;;
;;   MOLT-E-MALFORMED-MESSAGE  a wire problem: truncated data, a length past the end,
;;       byte 0xc1, an ext type, a uint64 above 2^63-1, invalid UTF-8 in a str, a map
;;       key that is not a str, the key "values" twice, bytes after the map. The
;;       detail texts and paths are the host's (molt.runtime._codec), so the module
;;       and the host report a malformed message the same way.
;;   MOLT-E-SCHEMA-VIOLATION   the first value of the wrong type: not a map ($), a key
;;       other than "values" ($), no "values" ($.values), not an array ($.values),
;;       an element that is not a number ($.values[3]). The module stops at the
;;       header of that value and does not look inside it.
;;
;; Every read is bounds-checked against the message, so no input makes it trap. It
;; traps (unreachable) only when a host breaks the ABI's contract by passing a
;; message that does not lie inside the input buffer.
;;
;; Memory (one page to start):
;;   [16, 1760)        read-only data: NUL-terminated texts and templates, and three
;;                     complete error maps that need no allocation
;;   [4096, +len)      the input buffer that molt_alloc(len) reserves; it always
;;                     starts at 4096, so reserving a bigger one reuses the space
;;   past the buffer   the per-call arena, 8-aligned, reset by every molt_call_*;
;;                     it grows memory with memory.grow, and when that returns -1
;;                     the call returns the constant MOLT-E-OUT-OF-MEMORY map
;;
;; A result is packed into an i64 as (ptr << 32) | (status << 31) | len.
;;
;; Error messages are built in the arena from templates: a template is a
;; NUL-terminated text in which the bytes 01..08 stand for
;;   01-04  the unsigned decimal of $a1..$a4
;;   05     the export's name          06  the JSON path
;;   07     the template at $detail    08  the text at $text
(module
  (memory (export "memory") 1)

  ;; -- read-only data ----------------------------------------------------------------

  ;; Codes, map keys, paths and export names.
  (data (i32.const 16) "MOLT-E-MALFORMED-MESSAGE\00")            ;; C_MALFORMED
  (data (i32.const 48) "MOLT-E-SCHEMA-VIOLATION\00")             ;; C_SCHEMA
  (data (i32.const 72) "code\00")                                ;; K_CODE
  (data (i32.const 80) "message\00")                             ;; K_MESSAGE
  (data (i32.const 88) "path\00")                                ;; K_PATH
  (data (i32.const 96) "$\00")                                   ;; P_ROOT
  (data (i32.const 104) "$.values\00")                           ;; P_VALUES
  (data (i32.const 120) "mean\00")                               ;; X_MEAN
  (data (i32.const 128) "total\00")                              ;; X_TOTAL

  ;; The names of the 8 kinds $head returns, 8 bytes each: the host decoder's
  ;; words at 136 (for map keys) and the JSON Schema words at 200 (for schema errors).
  ;; kind: 0 int, 1 float, 2 nil, 3 bool, 4 str, 5 bin, 6 array, 7 map
  (data (i32.const 136)
    "int\00\00\00\00\00" "float\00\00\00" "nil\00\00\00\00\00" "bool\00\00\00\00"
    "str\00\00\00\00\00" "bin\00\00\00\00\00" "array\00\00\00" "map\00\00\00\00\00")
  (data (i32.const 200)
    "integer\00" "number\00\00" "null\00\00\00\00" "boolean\00"
    "string\00\00" "bytes\00\00\00" "array\00\00\00" "object\00\00")

  ;; The two message templates (errors.yaml's texts for these codes).
  (data (i32.const 264)                                          ;; T_MALFORMED
    "\05: malformed MessagePack input at \06: \07; send one strict MessagePack value "
    "(str keys, valid UTF-8, integers within signed 64-bit, no ext types, nothing "
    "after the value)\00")
  (data (i32.const 432)                                          ;; T_SCHEMA
    "\05: input at \06 does not match the schema: expected \07, got \08; "
    "send a value of the declared type\00")

  ;; Details of MOLT-E-MALFORMED-MESSAGE.
  (data (i32.const 528) "the message is empty: expected one MessagePack value\00")
  (data (i32.const 584) "truncated: the message ends at byte \01 where a value should start\00")
  (data (i32.const 656)
    "truncated: the value at offset \01 needs \02 bytes from offset \03 but only \04 remain\00")
  (data (i32.const 736)
    "truncated: the array at offset \01 declares \02 entries but only \03 bytes remain\00")
  (data (i32.const 816)
    "truncated: the map at offset \01 declares \02 entries but only \03 bytes remain\00")
  (data (i32.const 896) "byte 0xc1 at offset \01 is not a MessagePack type\00")
  (data (i32.const 944) "ext type at offset \01: Molt messages use no ext types (no timestamps)\00")
  (data (i32.const 1016) "integer \01 is outside signed 64-bit\00")
  (data (i32.const 1056) "the str at offset \01 is not valid UTF-8\00")
  (data (i32.const 1096) "map key at offset \01 is \08, not a str\00")
  (data (i32.const 1136) "duplicate map key 'values'\00")
  (data (i32.const 1168) "1 byte after the value (one value per message)\00")
  (data (i32.const 1216) "\01 bytes after the value (one value per message)\00")

  ;; What MOLT-E-SCHEMA-VIOLATION expected (07) and got (08).
  (data (i32.const 1264) "object\00")
  (data (i32.const 1272) "array\00")
  (data (i32.const 1280) "number\00")
  (data (i32.const 1288) "the single key 'values'\00")
  (data (i32.const 1312) "another key\00")
  (data (i32.const 1328) "no value (the key is missing)\00")

  ;; @1360, 75 bytes: {"code": "MOLT-E-VALUE", "message": "mean of an empty list; ..."}
  (data (i32.const 1360)
    "\82"
    "\a4" "code" "\ac" "MOLT-E-VALUE"
    "\a7" "message" "\d9\2e" "mean of an empty list; pass at least one value")

  ;; @1440, 154 bytes: {"code": "MOLT-E-OUT-OF-MEMORY", "message": "call to 'mean' ..."}
  (data (i32.const 1440)
    "\82"
    "\a4" "code" "\b4" "MOLT-E-OUT-OF-MEMORY"
    "\a7" "message"
    "\d9\75" "call to 'mean' of stats 1.0.0 needs more than the memory limit; "
             "raise the host's memory limit or send a smaller input")

  ;; @1600, 155 bytes: {"code": "MOLT-E-OUT-OF-MEMORY", "message": "call to 'total' ..."}
  (data (i32.const 1600)
    "\82"
    "\a4" "code" "\b4" "MOLT-E-OUT-OF-MEMORY"
    "\a7" "message"
    "\d9\76" "call to 'total' of stats 1.0.0 needs more than the memory limit; "
             "raise the host's memory limit or send a smaller input")

  ;; -- state -------------------------------------------------------------------------

  ;; The input buffer is [4096, $input_end); the arena starts at $arena_base, just past
  ;; it, and $arena is the bump pointer of the current call.
  (global $input_end (mut i32) (i32.const 4096))
  (global $arena_base (mut i32) (i32.const 4096))
  (global $arena (mut i32) (i32.const 4096))

  ;; The message being decoded, and what $head read: the item's kind is its result,
  ;; and it sets the position after the item's header ($next; after the whole item
  ;; for scalars and strings), the entry count or byte length ($count), where a
  ;; str's bytes start ($str_start) and a number's value ($number).
  (global $base (mut i32) (i32.const 0))
  (global $end (mut i32) (i32.const 0))
  (global $next (mut i32) (i32.const 0))
  (global $count (mut i64) (i64.const 0))
  (global $str_start (mut i32) (i32.const 0))
  (global $number (mut f64) (f64.const 0))

  ;; Where the decoder is: 0 "$", 1 "$.values", 2 "$.values[$index]".
  (global $path (mut i32) (i32.const 0))
  (global $index (mut i64) (i64.const 0))

  ;; A decoded input: the left-to-right sum and the number of values.
  (global $sum (mut f64) (f64.const 0))
  (global $n (mut i64) (i64.const 0))

  ;; The first problem: its code, message template and the template's arguments.
  (global $code (mut i32) (i32.const 0))
  (global $template (mut i32) (i32.const 0))
  (global $detail (mut i32) (i32.const 0))
  (global $text (mut i32) (i32.const 0))
  (global $a1 (mut i64) (i64.const 0))
  (global $a2 (mut i64) (i64.const 0))
  (global $a3 (mut i64) (i64.const 0))
  (global $a4 (mut i64) (i64.const 0))

  ;; The error map being written: the export's name, the rendered path, the cursor.
  (global $export (mut i32) (i32.const 0))
  (global $path_ptr (mut i32) (i32.const 0))
  (global $path_len (mut i32) (i32.const 0))
  (global $out (mut i32) (i32.const 0))

  ;; -- the ABI -----------------------------------------------------------------------

  ;; 1.0 = 1 << 16 | 0
  (func (export "molt_abi_version") (result i32)
    (i32.const 65536))

  ;; Reserve the input buffer [4096, 4096 + len) and move the arena past it.
  ;; Returns 4096, or 0 when memory cannot grow (nothing changes then).
  (func (export "molt_alloc") (param $len i32) (result i32)
    (local $end i64)
    (local.set $end (i64.add (i64.const 4096) (i64.extend_i32_u (local.get $len))))
    (if (i32.eqz (call $grow_to (local.get $end)))
      (then (return (i32.const 0))))
    (global.set $input_end (i32.wrap_i64 (local.get $end)))
    (global.set $arena_base
      (i32.and (i32.add (global.get $input_end) (i32.const 7)) (i32.const -8)))
    (global.set $arena (global.get $arena_base))
    (i32.const 4096))

  (func (export "molt_call_mean") (param $ptr i32) (param $len i32) (result i64)
    (if (call $begin (local.get $ptr) (local.get $len))
      ;; X_MEAN; the OOM map for mean at 1440, 154 bytes
      (then (return (call $error (i32.const 120) (i64.const 0x000005a0_8000009a)))))
    (if (i64.eqz (global.get $n))
      ;; status 1: MOLT-E-VALUE at 1360, 75 bytes
      (then (return (i64.const 0x00000550_8000004b))))
    (call $float_result
      (f64.div (global.get $sum) (f64.convert_i64_u (global.get $n)))
      (i64.const 0x000005a0_8000009a)))

  (func (export "molt_call_total") (param $ptr i32) (param $len i32) (result i64)
    (if (call $begin (local.get $ptr) (local.get $len))
      ;; X_TOTAL; the OOM map for total at 1600, 155 bytes
      (then (return (call $error (i32.const 128) (i64.const 0x00000640_8000009b)))))
    (call $float_result (global.get $sum) (i64.const 0x00000640_8000009b)))

  ;; Start a call: reset the arena, check the host kept the ABI's contract (the
  ;; message lies inside the input buffer; a host bug traps), decode the input.
  ;; Returns 0 with $sum and $n set, or 1 with the problem recorded.
  (func $begin (param $ptr i32) (param $len i32) (result i32)
    (global.set $arena (global.get $arena_base))
    (if (i32.or
          (i32.lt_u (local.get $ptr) (i32.const 4096))
          (i64.gt_u
            (i64.add (i64.extend_i32_u (local.get $ptr)) (i64.extend_i32_u (local.get $len)))
            (i64.extend_i32_u (global.get $input_end))))
      (then (unreachable)))
    (i32.ne (call $decode (local.get $ptr) (local.get $len)) (i32.const 0)))

  ;; -- memory ------------------------------------------------------------------------

  ;; Make memory at least `end` bytes long. Returns 1, or 0 when it cannot grow
  ;; (the host's limit) or `end` leaves no room below 4 GiB.
  (func $grow_to (param $end i64) (result i32)
    (local $have i64)
    (if (i64.gt_u (local.get $end) (i64.const 0xfffffff0))
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
    (i32.const 1))

  ;; Take `size` bytes from the arena. Returns their address, or 0 when memory is full.
  (func $reserve (param $size i32) (result i32)
    (local $at i32)
    (local $end i64)
    (local.set $at (global.get $arena))
    (local.set $end (i64.add (i64.extend_i32_u (local.get $at)) (i64.extend_i32_u (local.get $size))))
    (if (i32.eqz (call $grow_to (local.get $end)))
      (then (return (i32.const 0))))
    (global.set $arena (i32.wrap_i64 (local.get $end)))
    (local.get $at))

  (func $pack (param $ptr i32) (param $status i32) (param $len i32) (result i64)
    (i64.or
      (i64.shl (i64.extend_i32_u (local.get $ptr)) (i64.const 32))
      (i64.or
        (i64.shl (i64.extend_i32_u (local.get $status)) (i64.const 31))
        (i64.extend_i32_u (local.get $len)))))

  (func $bswap64 (param $x i64) (result i64)
    (local.set $x
      (i64.or
        (i64.and (i64.shr_u (local.get $x) (i64.const 8)) (i64.const 0x00ff00ff00ff00ff))
        (i64.shl (i64.and (local.get $x) (i64.const 0x00ff00ff00ff00ff)) (i64.const 8))))
    (local.set $x
      (i64.or
        (i64.and (i64.shr_u (local.get $x) (i64.const 16)) (i64.const 0x0000ffff0000ffff))
        (i64.shl (i64.and (local.get $x) (i64.const 0x0000ffff0000ffff)) (i64.const 16))))
    (i64.rotl (local.get $x) (i64.const 32)))

  ;; The big-endian unsigned integer of `width` (1 to 8) bytes at `at`.
  (func $be (param $at i32) (param $width i32) (result i64)
    (local $value i64)
    (loop $byte
      (local.set $value
        (i64.or
          (i64.shl (local.get $value) (i64.const 8))
          (i64.load8_u (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 1)))
      (local.set $width (i32.sub (local.get $width) (i32.const 1)))
      (br_if $byte (local.get $width)))
    (local.get $value))

  ;; -- decoding ----------------------------------------------------------------------

  ;; The offset of `at` in the message, for error details.
  (func $offset (param $at i32) (result i64)
    (i64.extend_i32_u (i32.sub (local.get $at) (global.get $base))))

  ;; Record a MOLT-E-MALFORMED-MESSAGE with its detail template; returns -1.
  (func $malformed (param $detail i32) (param $a1 i64) (param $a2 i64) (param $a3 i64)
                   (param $a4 i64) (result i32)
    (global.set $code (i32.const 16))           ;; C_MALFORMED
    (global.set $template (i32.const 264))      ;; T_MALFORMED
    (global.set $detail (local.get $detail))
    (global.set $a1 (local.get $a1))
    (global.set $a2 (local.get $a2))
    (global.set $a3 (local.get $a3))
    (global.set $a4 (local.get $a4))
    (i32.const -1))

  ;; Record a MOLT-E-SCHEMA-VIOLATION: what was expected and what came; returns -1.
  (func $mismatch (param $expected i32) (param $actual i32) (result i32)
    (global.set $code (i32.const 48))           ;; C_SCHEMA
    (global.set $template (i32.const 432))      ;; T_SCHEMA
    (global.set $detail (local.get $expected))
    (global.set $text (local.get $actual))
    (i32.const -1))

  ;; Whether `size` bytes from `start` are in the message; if not, records the
  ;; truncation of the item at `at` and returns 1.
  (func $short (param $at i32) (param $start i32) (param $size i64) (result i32)
    (local $left i64)
    (local.set $left (i64.extend_i32_u (i32.sub (global.get $end) (local.get $start))))
    (if (i64.le_u (local.get $size) (local.get $left))
      (then (return (i32.const 0))))
    (drop (call $malformed (i32.const 656)      ;; D_NEED
      (call $offset (local.get $at)) (local.get $size)
      (call $offset (local.get $start)) (local.get $left)))
    (i32.const 1))

  ;; Read one item at `at`: its kind (0 int, 1 float, 2 nil, 3 bool, 4 str, 5 bin,
  ;; 6 array, 7 map) or -1 with the problem recorded. Scalars and strings are read
  ;; whole (a str's UTF-8 is checked); for arrays and maps only the header.
  (func $head (param $at i32) (result i32)
    (local $byte i32)
    (local $width i32)
    (local $value i64)
    (local $shift i64)
    (local $start i32)
    (if (i32.ge_u (local.get $at) (global.get $end))
      (then
        (return (call $malformed (i32.const 584)   ;; D_ENDS
          (call $offset (global.get $end)) (i64.const 0) (i64.const 0) (i64.const 0)))))
    (local.set $byte (i32.load8_u (local.get $at)))

    ;; float 64, the usual element, first
    (if (i32.eq (local.get $byte) (i32.const 0xcb))
      (then
        (if (call $short (local.get $at) (i32.add (local.get $at) (i32.const 1)) (i64.const 8))
          (then (return (i32.const -1))))
        (global.set $number
          (f64.reinterpret_i64 (call $bswap64 (i64.load offset=1 align=1 (local.get $at)))))
        (global.set $next (i32.add (local.get $at) (i32.const 9)))
        (return (i32.const 1))))
    ;; positive fixint 00-7f
    (if (i32.lt_u (local.get $byte) (i32.const 0x80))
      (then
        (global.set $number (f64.convert_i32_u (local.get $byte)))
        (global.set $next (i32.add (local.get $at) (i32.const 1)))
        (return (i32.const 0))))
    ;; negative fixint e0-ff
    (if (i32.ge_u (local.get $byte) (i32.const 0xe0))
      (then
        (global.set $number (f64.convert_i32_s (i32.sub (local.get $byte) (i32.const 256))))
        (global.set $next (i32.add (local.get $at) (i32.const 1)))
        (return (i32.const 0))))
    ;; fixmap 80-8f, fixarray 90-9f
    (if (i32.lt_u (local.get $byte) (i32.const 0xa0))
      (then
        (global.set $count (i64.extend_i32_u (i32.and (local.get $byte) (i32.const 0x0f))))
        (global.set $next (i32.add (local.get $at) (i32.const 1)))
        (return (select (i32.const 7) (i32.const 6)
                        (i32.lt_u (local.get $byte) (i32.const 0x90))))))
    ;; fixstr a0-bf
    (if (i32.lt_u (local.get $byte) (i32.const 0xc0))
      (then
        (return (call $string (local.get $at) (i32.add (local.get $at) (i32.const 1))
          (i64.extend_i32_u (i32.and (local.get $byte) (i32.const 0x1f))) (i32.const 4)))))
    ;; nil c0
    (if (i32.eq (local.get $byte) (i32.const 0xc0))
      (then
        (global.set $next (i32.add (local.get $at) (i32.const 1)))
        (return (i32.const 2))))
    ;; never used c1
    (if (i32.eq (local.get $byte) (i32.const 0xc1))
      (then
        (return (call $malformed (i32.const 896)   ;; D_C1
          (call $offset (local.get $at)) (i64.const 0) (i64.const 0) (i64.const 0)))))
    ;; false c2, true c3
    (if (i32.le_u (local.get $byte) (i32.const 0xc3))
      (then
        (global.set $next (i32.add (local.get $at) (i32.const 1)))
        (return (i32.const 3))))
    ;; bin 8/16/32 c4-c6
    (if (i32.le_u (local.get $byte) (i32.const 0xc6))
      (then
        (local.set $width (i32.shl (i32.const 1) (i32.sub (local.get $byte) (i32.const 0xc4))))
        (local.set $start (i32.add (local.get $at) (i32.const 1)))
        (if (call $short (local.get $at) (local.get $start) (i64.extend_i32_u (local.get $width)))
          (then (return (i32.const -1))))
        (return (call $string (local.get $at) (i32.add (local.get $start) (local.get $width))
          (call $be (local.get $start) (local.get $width)) (i32.const 5)))))
    ;; ext 8/16/32 c7-c9
    (if (i32.le_u (local.get $byte) (i32.const 0xc9))
      (then
        (return (call $malformed (i32.const 944)   ;; D_EXT
          (call $offset (local.get $at)) (i64.const 0) (i64.const 0) (i64.const 0)))))
    ;; float 32 ca (float 64 cb was read first)
    (if (i32.eq (local.get $byte) (i32.const 0xca))
      (then
        (if (call $short (local.get $at) (i32.add (local.get $at) (i32.const 1)) (i64.const 4))
          (then (return (i32.const -1))))
        (global.set $number
          (f64.promote_f32 (f32.reinterpret_i32
            (i32.wrap_i64 (call $be (i32.add (local.get $at) (i32.const 1)) (i32.const 4))))))
        (global.set $next (i32.add (local.get $at) (i32.const 5)))
        (return (i32.const 1))))
    ;; uint 8/16/32/64 cc-cf and int 8/16/32/64 d0-d3
    (if (i32.le_u (local.get $byte) (i32.const 0xd3))
      (then
        (local.set $width (i32.shl (i32.const 1) (i32.and (local.get $byte) (i32.const 3))))
        (local.set $start (i32.add (local.get $at) (i32.const 1)))
        (if (call $short (local.get $at) (local.get $start) (i64.extend_i32_u (local.get $width)))
          (then (return (i32.const -1))))
        (local.set $value (call $be (local.get $start) (local.get $width)))
        (if (i32.ge_u (local.get $byte) (i32.const 0xd0))
          (then
            ;; signed: extend the sign bit of the `width`-byte value
            (local.set $shift (i64.extend_i32_u
              (i32.sub (i32.const 64) (i32.shl (local.get $width) (i32.const 3)))))
            (local.set $value
              (i64.shr_s (i64.shl (local.get $value) (local.get $shift)) (local.get $shift))))
          (else
            ;; unsigned: only a uint 64 can exceed signed 64-bit
            (if (i64.lt_s (local.get $value) (i64.const 0))
              (then
                (return (call $malformed (i32.const 1016)   ;; D_INT64
                  (local.get $value) (i64.const 0) (i64.const 0) (i64.const 0)))))))
        (global.set $number (f64.convert_i64_s (local.get $value)))
        (global.set $next (i32.add (local.get $start) (local.get $width)))
        (return (i32.const 0))))
    ;; fixext d4-d8
    (if (i32.le_u (local.get $byte) (i32.const 0xd8))
      (then
        (return (call $malformed (i32.const 944)   ;; D_EXT
          (call $offset (local.get $at)) (i64.const 0) (i64.const 0) (i64.const 0)))))
    ;; str 8/16/32 d9-db
    (if (i32.le_u (local.get $byte) (i32.const 0xdb))
      (then
        (local.set $width (i32.shl (i32.const 1) (i32.sub (local.get $byte) (i32.const 0xd9))))
        (local.set $start (i32.add (local.get $at) (i32.const 1)))
        (if (call $short (local.get $at) (local.get $start) (i64.extend_i32_u (local.get $width)))
          (then (return (i32.const -1))))
        (return (call $string (local.get $at) (i32.add (local.get $start) (local.get $width))
          (call $be (local.get $start) (local.get $width)) (i32.const 4)))))
    ;; array 16/32 dc-dd, map 16/32 de-df: a 2- or 4-byte count, and at least
    ;; one byte left per entry
    (local.set $width (i32.shl (i32.const 2) (i32.and (local.get $byte) (i32.const 1))))
    (local.set $start (i32.add (local.get $at) (i32.const 1)))
    (if (call $short (local.get $at) (local.get $start) (i64.extend_i32_u (local.get $width)))
      (then (return (i32.const -1))))
    (local.set $value (call $be (local.get $start) (local.get $width)))
    (local.set $start (i32.add (local.get $start) (local.get $width)))
    (if (i64.gt_u (local.get $value)
                  (i64.extend_i32_u (i32.sub (global.get $end) (local.get $start))))
      (then
        (return (call $malformed
          (select (i32.const 736) (i32.const 816)   ;; D_ARRAY_COUNT, D_MAP_COUNT
                  (i32.lt_u (local.get $byte) (i32.const 0xde)))
          (call $offset (local.get $at)) (local.get $value)
          (i64.extend_i32_u (i32.sub (global.get $end) (local.get $start))) (i64.const 0)))))
    (global.set $count (local.get $value))
    (global.set $next (local.get $start))
    (select (i32.const 6) (i32.const 7) (i32.lt_u (local.get $byte) (i32.const 0xde))))

  ;; A str (kind 4) or bin (kind 5) of `size` bytes from `start`; the item is at `at`.
  (func $string (param $at i32) (param $start i32) (param $size i64) (param $kind i32)
                (result i32)
    (if (call $short (local.get $at) (local.get $start) (local.get $size))
      (then (return (i32.const -1))))
    (if (i32.eq (local.get $kind) (i32.const 4))
      (then
        (if (i32.eqz (call $utf8 (local.get $start) (i32.wrap_i64 (local.get $size))))
          (then
            (return (call $malformed (i32.const 1056)   ;; D_UTF8
              (call $offset (local.get $at)) (i64.const 0) (i64.const 0) (i64.const 0)))))))
    (global.set $str_start (local.get $start))
    (global.set $count (local.get $size))
    (global.set $next (i32.add (local.get $start) (i32.wrap_i64 (local.get $size))))
    (local.get $kind))

  ;; Whether the `size` bytes at `at` are valid UTF-8: shortest forms only, no
  ;; surrogates, nothing above U+10FFFF (Unicode table 3-7, as Python decodes it).
  (func $utf8 (param $at i32) (param $size i32) (result i32)
    (local $end i32)
    (local $byte i32)
    (local $more i32)
    (local $low i32)
    (local $high i32)
    (local.set $end (i32.add (local.get $at) (local.get $size)))
    (block $bad
      (loop $char
        (if (i32.ge_u (local.get $at) (local.get $end))
          (then (return (i32.const 1))))
        (local.set $byte (i32.load8_u (local.get $at)))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br_if $char (i32.lt_u (local.get $byte) (i32.const 0x80)))
        ;; a lead byte: $more continuation bytes follow, the first in [$low, $high]
        (br_if $bad (i32.lt_u (local.get $byte) (i32.const 0xc2)))
        (br_if $bad (i32.gt_u (local.get $byte) (i32.const 0xf4)))
        (local.set $low (i32.const 0x80))
        (local.set $high (i32.const 0xbf))
        (if (i32.lt_u (local.get $byte) (i32.const 0xe0))
          (then (local.set $more (i32.const 1)))
          (else
            (if (i32.lt_u (local.get $byte) (i32.const 0xf0))
              (then
                (local.set $more (i32.const 2))
                (if (i32.eq (local.get $byte) (i32.const 0xe0))
                  (then (local.set $low (i32.const 0xa0))))     ;; no overlong forms
                (if (i32.eq (local.get $byte) (i32.const 0xed))
                  (then (local.set $high (i32.const 0x9f)))))   ;; no surrogates
              (else
                (local.set $more (i32.const 3))
                (if (i32.eq (local.get $byte) (i32.const 0xf0))
                  (then (local.set $low (i32.const 0x90))))     ;; no overlong forms
                (if (i32.eq (local.get $byte) (i32.const 0xf4))
                  (then (local.set $high (i32.const 0x8f))))))));; nothing past U+10FFFF
        (br_if $bad (i32.lt_u (i32.sub (local.get $end) (local.get $at)) (local.get $more)))
        (local.set $byte (i32.load8_u (local.get $at)))
        (br_if $bad (i32.lt_u (local.get $byte) (local.get $low)))
        (br_if $bad (i32.gt_u (local.get $byte) (local.get $high)))
        (loop $continuation
          (local.set $at (i32.add (local.get $at) (i32.const 1)))
          (local.set $more (i32.sub (local.get $more) (i32.const 1)))
          (if (local.get $more)
            (then
              (br_if $bad (i32.ne (i32.and (i32.load8_u (local.get $at)) (i32.const 0xc0))
                                  (i32.const 0x80)))
              (br $continuation))))
        (br $char)))
    (i32.const 0))

  ;; Decode the input map at [ptr, ptr + len) and add up its values. Returns 0 with
  ;; $sum and $n set, or -1 with the first problem recorded and $path where it is.
  (func $decode (param $ptr i32) (param $len i32) (result i32)
    (local $at i32)
    (local $kind i32)
    (local $entries i64)
    (local $seen i32)
    (local $i i64)
    (local $count i64)
    (local $sum f64)
    (global.set $base (local.get $ptr))
    (global.set $end (i32.add (local.get $ptr) (local.get $len)))
    (global.set $path (i32.const 0))
    (if (i32.eqz (local.get $len))
      (then
        (return (call $malformed (i32.const 528)   ;; D_EMPTY
          (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)))))
    ;; $: a map
    (local.set $kind (call $head (local.get $ptr)))
    (if (i32.lt_s (local.get $kind) (i32.const 0))
      (then (return (i32.const -1))))
    (if (i32.ne (local.get $kind) (i32.const 7))
      (then
        (return (call $mismatch (i32.const 1264)   ;; "object"
          (i32.add (i32.const 200) (i32.shl (local.get $kind) (i32.const 3)))))))
    (local.set $entries (global.get $count))
    (local.set $at (global.get $next))
    (block $map_done
      (loop $entry
        (br_if $map_done (i64.eqz (local.get $entries)))
        (local.set $entries (i64.sub (local.get $entries) (i64.const 1)))
        ;; a key: a str, and it must be "values"
        (global.set $path (i32.const 0))
        (local.set $kind (call $head (local.get $at)))
        (if (i32.lt_s (local.get $kind) (i32.const 0))
          (then (return (i32.const -1))))
        (if (i32.ne (local.get $kind) (i32.const 4))
          (then
            (global.set $text (i32.add (i32.const 136) (i32.shl (local.get $kind) (i32.const 3))))
            (return (call $malformed (i32.const 1096)   ;; D_KEY
              (call $offset (local.get $at)) (i64.const 0) (i64.const 0) (i64.const 0)))))
        ;; (the length first: only then are the 6 bytes known to be in the message)
        (if (i32.eqz
              (if (result i32) (i64.eq (global.get $count) (i64.const 6))
                (then
                  ;; "valu" and "es", little-endian
                  (i32.and
                    (i32.eq (i32.load align=1 (global.get $str_start)) (i32.const 0x756c6176))
                    (i32.eq (i32.load16_u offset=4 align=1 (global.get $str_start))
                            (i32.const 0x7365))))
                (else (i32.const 0))))
          (then
            (return (call $mismatch (i32.const 1288) (i32.const 1312)))))   ;; single key, another
        (global.set $path (i32.const 1))
        (if (local.get $seen)
          (then
            (return (call $malformed (i32.const 1136)   ;; D_DUP
              (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)))))
        (local.set $seen (i32.const 1))
        ;; $.values: an array
        (local.set $kind (call $head (global.get $next)))
        (if (i32.lt_s (local.get $kind) (i32.const 0))
          (then (return (i32.const -1))))
        (if (i32.ne (local.get $kind) (i32.const 6))
          (then
            (return (call $mismatch (i32.const 1272)   ;; "array"
              (i32.add (i32.const 200) (i32.shl (local.get $kind) (i32.const 3)))))))
        (local.set $count (global.get $count))
        (local.set $at (global.get $next))
        ;; $.values[i]: numbers, added left to right
        (global.set $path (i32.const 2))
        (local.set $sum (f64.const 0))
        (local.set $i (i64.const 0))
        (block $array_done
          (loop $element
            (br_if $array_done (i64.eq (local.get $i) (local.get $count)))
            (global.set $index (local.get $i))
            (local.set $kind (call $head (local.get $at)))
            (if (i32.lt_s (local.get $kind) (i32.const 0))
              (then (return (i32.const -1))))
            (if (i32.gt_u (local.get $kind) (i32.const 1))
              (then
                (return (call $mismatch (i32.const 1280)   ;; "number"
                  (i32.add (i32.const 200) (i32.shl (local.get $kind) (i32.const 3)))))))
            (local.set $sum (f64.add (local.get $sum) (global.get $number)))
            (local.set $at (global.get $next))
            (local.set $i (i64.add (local.get $i) (i64.const 1)))
            (br $element)))
        (br $entry)))
    ;; nothing after the map
    (global.set $path (i32.const 0))
    (if (i32.ne (local.get $at) (global.get $end))
      (then
        (return (call $malformed
          (select (i32.const 1168) (i32.const 1216)   ;; D_TRAIL1, D_TRAILN
                  (i32.eq (i32.sub (global.get $end) (local.get $at)) (i32.const 1)))
          (i64.extend_i32_u (i32.sub (global.get $end) (local.get $at)))
          (i64.const 0) (i64.const 0) (i64.const 0)))))
    (if (i32.eqz (local.get $seen))
      (then
        (global.set $path (i32.const 1))
        (return (call $mismatch (i32.const 1272) (i32.const 1328)))))   ;; array, missing
    (global.set $sum (local.get $sum))
    (global.set $n (local.get $count))
    (i32.const 0))

  ;; -- encoding ----------------------------------------------------------------------

  ;; Status 0: `value` as a float64, NaN canonical.
  (func $float_result (param $value f64) (param $oom i64) (result i64)
    (local $at i32)
    (local $bits i64)
    (local.set $at (call $reserve (i32.const 9)))
    (if (i32.eqz (local.get $at))
      (then (return (local.get $oom))))
    (local.set $bits
      (select (i64.const 0x7ff8000000000000) (i64.reinterpret_f64 (local.get $value))
              (f64.ne (local.get $value) (local.get $value))))
    (i32.store8 (local.get $at) (i32.const 0xcb))
    (i64.store offset=1 align=1 (local.get $at) (call $bswap64 (local.get $bits)))
    (call $pack (local.get $at) (i32.const 0) (i32.const 9)))

  ;; Status 1: the recorded problem as the map {code, message, path}, written in the
  ;; arena (the path, then the message, then the map). `export` names the export; `oom`
  ;; is the constant returned when the arena cannot grow. The longest message is
  ;; under 400 bytes, so the three parts fit the 1024 bytes reserved first.
  (func $error (param $export i32) (param $oom i64) (result i64)
    (local $start i32)
    (local $message i32)
    (local $map i32)
    (local.set $start (call $reserve (i32.const 1024)))
    (if (i32.eqz (local.get $start))
      (then (return (local.get $oom))))
    (global.set $out (local.get $start))
    ;; the path
    (global.set $path_ptr (global.get $out))
    (if (i32.eqz (global.get $path))
      (then (call $cstr (i32.const 96)))            ;; "$"
      (else
        (call $cstr (i32.const 104))                ;; "$.values"
        (if (i32.eq (global.get $path) (i32.const 2))
          (then
            (call $byte (i32.const 0x5b))           ;; [
            (call $decimal (global.get $index))
            (call $byte (i32.const 0x5d))))))       ;; ]
    (global.set $path_len (i32.sub (global.get $out) (global.get $path_ptr)))
    ;; the message
    (global.set $export (local.get $export))
    (local.set $message (global.get $out))
    (call $render (global.get $template))
    ;; the map
    (local.set $map (global.get $out))
    (call $byte (i32.const 0x83))
    (call $str (i32.const 72) (call $strlen (i32.const 72)))             ;; "code"
    (call $str (global.get $code) (call $strlen (global.get $code)))
    (call $str (i32.const 80) (call $strlen (i32.const 80)))             ;; "message"
    (call $str (local.get $message) (i32.sub (local.get $map) (local.get $message)))
    (call $str (i32.const 88) (call $strlen (i32.const 88)))             ;; "path"
    (call $str (global.get $path_ptr) (global.get $path_len))
    (call $pack (local.get $map) (i32.const 1) (i32.sub (global.get $out) (local.get $map))))

  ;; Write `template` at $out, replacing the bytes 01-08 (see the top of the file).
  (func $render (param $at i32)
    (local $byte i32)
    (loop $char
      (local.set $byte (i32.load8_u (local.get $at)))
      (if (i32.eqz (local.get $byte))
        (then (return)))
      (local.set $at (i32.add (local.get $at) (i32.const 1)))
      (block $done
        (block $literal
          (block $text
            (block $detail
              (block $path
                (block $export
                  (block $a4
                    (block $a3
                      (block $a2
                        (block $a1
                          (br_table $literal $a1 $a2 $a3 $a4 $export $path $detail $text
                                    $literal (local.get $byte)))
                        (call $decimal (global.get $a1))
                        (br $done))
                      (call $decimal (global.get $a2))
                      (br $done))
                    (call $decimal (global.get $a3))
                    (br $done))
                  (call $decimal (global.get $a4))
                  (br $done))
                (call $cstr (global.get $export))
                (br $done))
              (call $copy (global.get $path_ptr) (global.get $path_len))
              (br $done))
            (call $render (global.get $detail))
            (br $done))
          (call $cstr (global.get $text))
          (br $done))
        (call $byte (local.get $byte)))
      (br $char)))

  (func $byte (param $value i32)
    (i32.store8 (global.get $out) (local.get $value))
    (global.set $out (i32.add (global.get $out) (i32.const 1))))

  (func $copy (param $from i32) (param $size i32)
    (memory.copy (global.get $out) (local.get $from) (local.get $size))
    (global.set $out (i32.add (global.get $out) (local.get $size))))

  (func $strlen (param $at i32) (result i32)
    (local $end i32)
    (local.set $end (local.get $at))
    (loop $char
      (if (i32.load8_u (local.get $end))
        (then
          (local.set $end (i32.add (local.get $end) (i32.const 1)))
          (br $char))))
    (i32.sub (local.get $end) (local.get $at)))

  ;; A NUL-terminated text, without the NUL.
  (func $cstr (param $at i32)
    (call $copy (local.get $at) (call $strlen (local.get $at))))

  ;; A MessagePack str of `size` bytes from `from`, in the smallest format.
  (func $str (param $from i32) (param $size i32)
    (if (i32.lt_u (local.get $size) (i32.const 32))
      (then (call $byte (i32.or (i32.const 0xa0) (local.get $size))))
      (else
        (if (i32.lt_u (local.get $size) (i32.const 256))
          (then
            (call $byte (i32.const 0xd9))
            (call $byte (local.get $size)))
          (else
            (call $byte (i32.const 0xda))
            (call $byte (i32.shr_u (local.get $size) (i32.const 8)))
            (call $byte (i32.and (local.get $size) (i32.const 0xff)))))))
    (call $copy (local.get $from) (local.get $size)))

  ;; The unsigned decimal digits of `value`.
  (func $decimal (param $value i64)
    (local $rest i64)
    (local $at i32)
    ;; count the digits, then write them from the last one back
    (local.set $rest (local.get $value))
    (local.set $at (global.get $out))
    (loop $count
      (local.set $at (i32.add (local.get $at) (i32.const 1)))
      (local.set $rest (i64.div_u (local.get $rest) (i64.const 10)))
      (br_if $count (i64.ne (local.get $rest) (i64.const 0))))
    (global.set $out (local.get $at))
    (loop $digit
      (local.set $at (i32.sub (local.get $at) (i32.const 1)))
      (i32.store8 (local.get $at)
        (i32.add (i32.const 0x30) (i32.wrap_i64 (i64.rem_u (local.get $value) (i64.const 10)))))
      (local.set $value (i64.div_u (local.get $value) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $value) (i64.const 0)))))
)
