#!/usr/bin/env python3
"""Desk derivation of the operand-class vectors (issue 14): vectors/internal/corpus/classes.go.

Each expected value below is the docs/spec.md formula of the row (sections 5.2-5.7, quoted
next to it) evaluated on the chosen operands with Python integers: a calculator for the hand
derivation, written from the spec text alone. It shares nothing with vm/ or the contract and
reads neither. Operands are chosen per class of coverage/classes/table.go. Run:

    python3 vectors/internal/corpus/derive/classes.py > vectors/internal/corpus/classes.go
    go run ./vectors/internal/corpus/gen
"""

M64 = (1 << 64) - 1
M32 = (1 << 32) - 1


def sx32(x):
    x &= M32
    return (x | ~M32) & M64 if x >> 31 else x


def sx16(x):
    x &= 0xFFFF
    return (x | ~0xFFFF) & M64 if x >> 15 else x


def s64(x):
    x &= M64
    return x - (1 << 64) if x >> 63 else x


def s32(x):
    x &= M32
    return x - (1 << 32) if x >> 31 else x


def h(x):
    s = "%016X" % (x & M64)
    return "0x" + "_".join(s[i:i + 4] for i in range(0, 16, 4))


out = []


def emit(line):
    out.append("\t\t" + line + ",")


def rtype(name, rule, funct, rs, rt, want, sa=0, sp2=False):
    enc = "Sp2(0x%02X, rs8, rt9, rd10)" % funct if sp2 else "Sp(0x%02X, rs8, rt9, rd10, %d)" % (funct, sa)
    emit('V("cls-%s", "%s").Insn(%s).R(rs8, %s).R(rt9, %s).Want(rd10, %s)' % (name, rule, enc, h(rs), h(rt), h(want)))


def hilo(name, rule, funct, rs, rt, hi, lo):
    emit('V("cls-%s", "%s").Insn(Sp(0x%02X, rs8, rt9, 0, 0)).R(rs8, %s).R(rt9, %s).WantHiLo(%s, %s)' % (name, rule, funct, h(rs), h(rt), h(hi), h(lo)))


def itype(name, rule, op, rs, imm, want):
    emit('V("cls-%s", "%s").Insn(I(0x%02X, rs8, rt9, 0x%04X)).R(rs8, %s).Want(rt9, %s)' % (name, rule, op, imm, h(rs), h(want)))


# ------------------------------------------------------------------ shifts (1.3)
pos32, neg32 = 0x1234_5679, 0x8765_4321
dirty_hi = 0xDEAD_BEEF_0000_0000
pos64, neg64 = 0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3211

def sh32(kind, x, n):
    lo = x & M32
    if kind == "sll":   # R[rd] = sx32((R[rt] << sa) & 0xFFFFFFFF)
        return sx32(lo << n)
    if kind == "srl":   # R[rd] = sx32(lo32(R[rt]) >> sa)
        return sx32(lo >> n)
    return sx32(s32(lo) >> n)  # SRA: sx32(int32(lo32(R[rt])) >> sa)

def sh64(kind, x, n):
    if kind == "l":
        return (x << n) & M64
    if kind == "r":
        return x >> n
    return s64(x) >> n & M64

rows32 = [("sll", 0x00), ("srl", 0x02), ("sra", 0x03)]
for name, f in rows32:
    for sa, tag in [(0, "0"), (7, "1-30"), (31, "31")]:
        for sg, lo in [("pos", pos32), ("neg", neg32)]:
            for up in ["clean", "dirty"]:
                rt = sx32(lo) if up == "clean" else (dirty_hi | lo) ^ (0 if lo >> 31 else 0)
                if up == "dirty" and rt == sx32(rt):
                    rt ^= 1 << 40
                rtype("%s-sa%d-%s-%s" % (name, sa, sg, up), "§5.3 %s: sa %s, rt %s, upper word %s (ignored)" % (name.upper(), tag, sg, up),
                      f, 0, rt, sh32(name, rt, sa), sa=sa)
for name, f in [("sllv", 0x04), ("srlv", 0x06), ("srav", 0x07)]:
    for i, (amt, tag) in enumerate([(0, "0"), (13, "1-30"), (31, "31"), (40, "32-62"), (63, "63")]):
        for sg, lo in [("pos", pos32), ("neg", neg32)]:
            for up in ["clean", "dirty"]:
                rt = sx32(lo) if up == "clean" else dirty_hi | lo
                rs = amt | (0x5A00 if (i + len(sg)) % 2 else 0)  # bits above the amount, ignored
                rtype("%s-rs%d-%s-%s" % (name, amt, sg, up), "§5.3 %s: amount rs & 31 of rs=%s (%s), rt %s, upper word %s" % (name.upper(), h(rs), tag, sg, up),
                      f, rs, rt, sh32(name[:3], rt, rs & 31))
for name, f, kind, extra in [("dsll", 0x38, "l", 0), ("dsrl", 0x3A, "r", 0), ("dsra", 0x3B, "a", 0),
                             ("dsll32", 0x3C, "l", 32), ("dsrl32", 0x3E, "r", 32), ("dsra32", 0x3F, "a", 32)]:
    for sa, tag in [(0, "0"), (7, "1-30"), (31, "31")]:
        for sg, rt in [("pos", pos64), ("neg", neg64)]:
            rtype("%s-sa%d-%s" % (name, sa, sg), "§5.3 %s: shift by sa%s, rt %s" % (name.upper(), "+32" if extra else "", sg),
                  f, 0, rt, sh64(kind, rt, sa + extra), sa=sa)
for name, f, kind in [("dsllv", 0x14, "l"), ("dsrlv", 0x16, "r"), ("dsrav", 0x17, "a")]:
    for amt, tag in [(0, "0"), (13, "1-30"), (31, "31"), (40, "32-62"), (63, "63")]:
        for hi in ["clean", "dirty"]:
            for sg, rt in [("pos", pos64), ("neg", neg64)]:
                rs = amt | (0xABC0 if hi == "dirty" else 0)
                rtype("%s-rs%s-%s" % (name, "%d" % amt + ("-high" if hi == "dirty" else ""), sg),
                      "§5.3 %s: amount rs & 63 of rs=%s, rt %s" % (name.upper(), h(rs), sg), f, rs, rt, sh64(kind, rt, rs & 63))

# ------------------------------------------------------------------ add/sub (1.2, 1.3)
def dirty(x):  # same low word, upper word not its sign extension
    return (0x1111_2222_0000_0000 | (x & M32)) if (x & M32) >> 31 == 0 else (x & M32)

add32 = {"none": (5, 7), "pos": (0x7FFF_FFFF, 1), "neg": (sx32(0x8000_0000), sx32(0xFFFF_FFFF))}
sub32 = {"none": (9, 3), "pos": (0x7FFF_FFFF, sx32(0xFFFF_FFFF)), "neg": (sx32(0x8000_0000), 1)}
for name, f, sub in [("add", 0x20, False), ("addu", 0x21, False), ("sub", 0x22, True), ("subu", 0x23, True)]:
    for ovf, (a, b) in (sub32 if sub else add32).items():
        for up in ["clean", "dirty"]:
            rs, rt = (a, b) if up == "clean" else (dirty(a), dirty(b))
            r = (rs & M32) - (rt & M32) if sub else (rs & M32) + (rt & M32)  # sx32(lo32 rs +- lo32 rt), no trap
            rtype("%s-ovf-%s-%s" % (name, ovf, up), "§5.3 %s: 32-bit overflow %s, operands' upper words %s; no trap" % (name.upper(), ovf, up), f, rs, rt, sx32(r))
addi = {"none": (100, 0xFFF0), "pos": (0x7FFF_FFFF, 1), "neg": (sx32(0x8000_0000), 0xFFFF)}
for name, op in [("addi", 0x08), ("addiu", 0x09)]:
    for ovf, (a, imm) in addi.items():
        for up in ["clean", "dirty"]:
            rs = a if up == "clean" else dirty(a)
            itype("%s-ovf-%s-%s" % (name, ovf, up), "§5.2 %s: sx32(lo32 rs + sx16 imm), overflow %s, rs upper %s; no trap" % (name.upper(), ovf, up), op, rs, imm, sx32((rs & M32) + sx16(imm)))
MAX64, MIN64 = (1 << 63) - 1, 1 << 63
dadd = {"none": (5, 7), "pos": (MAX64, 1), "neg": (MIN64, M64)}
dsub = {"none": (9, 3), "pos": (MAX64, M64), "neg": (MIN64, 1)}
for name, f, sub in [("dadd", 0x2C, False), ("daddu", 0x2D, False), ("dsub", 0x2E, True), ("dsubu", 0x2F, True)]:
    for ovf, (a, b) in (dsub if sub else dadd).items():
        rtype("%s-ovf-%s" % (name, ovf), "§5.3 %s: 64-bit wrap, overflow %s, no trap" % (name.upper(), ovf), f, a, b, (a - b if sub else a + b) & M64)
for name, op in [("daddi", 0x18), ("daddiu", 0x19)]:
    for ovf, (a, imm) in {"none": (100, 0xFFF0), "pos": (MAX64, 1), "neg": (MIN64, 0xFFFF)}.items():
        itype("%s-ovf-%s" % (name, ovf), "§5.2 %s: rs + sx16 imm wraps, overflow %s, no trap" % (name.upper(), ovf), op, a, imm, (a + sx16(imm)) & M64)

# ------------------------------------------------------------------ comparisons (1.2, 1.3)
slt = {"lt-same": (sx16(0xFFFB), sx16(0xFFFD)), "lt-differ": (M64, 1), "eq-same": (7, 7), "gt-same": (9, 3), "gt-differ": (1, M64)}
sltu = {"lt-same": (3, 9), "lt-differ": (1, MIN64), "eq-same": (MIN64 | 5, MIN64 | 5), "gt-same": (9, 3), "gt-differ": (MIN64, 1)}
for name, f, signed in [("slt", 0x2A, True), ("sltu", 0x2B, False)]:
    for cls, (a, b) in (slt if signed else sltu).items():
        lt = s64(a) < s64(b) if signed else a < b
        rtype("%s-%s" % (name, cls), "§5.3 %s: %s 64-bit compare, %s" % (name.upper(), "signed" if signed else "unsigned", cls), f, a, b, int(lt))
slti = {"lt-same": (2, 5), "lt-differ": (sx16(0xFF9C), 5), "eq-same": (5, 5), "gt-same": (9, 5), "gt-differ": (5, 0xFFFF)}
sltiu = {"lt-same": (2, 5), "lt-differ": (5, 0xFFFF), "eq-same": (sx16(0x8000), 0x8000), "gt-same": (9, 5), "gt-differ": (MIN64, 5)}
for name, op, signed in [("slti", 0x0A, True), ("sltiu", 0x0B, False)]:
    for cls, (a, imm) in (slti if signed else sltiu).items():
        b = sx16(imm)  # both compare against the sign-extended immediate (1.2, 10.11)
        lt = s64(a) < s64(b) if signed else a < b
        itype("%s-%s" % (name, cls), "§5.2 %s: %s compare with sx16(imm), %s" % (name.upper(), "signed" if signed else "unsigned", cls), op, a, imm, int(lt))

# ------------------------------------------------------------------ multiply / divide (1.3, 1.4)
ops32 = {"++": (0x0000_1234, 0x7654_3210), "+-": (0x0000_1234, 0xFFFF_FFFE), "-+": (0x8765_4321, 0x0000_0003), "--": (0x8765_4321, 0xFFFF_FFFE)}
def sgn(c):
    return c.replace("+", "p").replace("-", "n")
for name, f in [("mult", 0x18), ("multu", 0x19)]:
    for cls, (a, b) in ops32.items():
        for up in ["clean", "dirty"]:
            rs, rt = (sx32(a), sx32(b)) if up == "clean" else (dirty(a), dirty(b))
            p = s32(rs) * s32(rt) if name == "mult" else (rs & M32) * (rt & M32)  # HI = sx32(p>>32), LO = sx32(p)
            hilo("%s-%s-%s" % (name, sgn(cls), up), "§5.3 %s: operand signs %s, upper words %s (ignored)" % (name.upper(), cls, up), f, rs, rt, sx32(p >> 32), sx32(p))
for cls, (a, b) in ops32.items():
    for up in ["clean", "dirty"]:
        rs, rt = (sx32(a), sx32(b)) if up == "clean" else (dirty(a), dirty(b))
        rtype("mul-%s-%s" % (sgn(cls), up), "§5.4 MUL: sx32(lo32(int32 rs * int32 rt)), signs %s, upper words %s" % (cls, up), 0x02, rs, rt, sx32(s32(rs) * s32(rt)), sp2=True)
ops64 = {"++": (0x0123_4567_89AB_CDEF, 0x0FED_CBA9_8765_4321), "+-": (0x0123_4567_89AB_CDEF, sx16(0xFFFD)),
         "-+": (0xFEDC_BA98_7654_3210, 0x1_0000_0003), "--": (0xFEDC_BA98_7654_3210, sx16(0xFFF9))}
for name, f in [("dmult", 0x1C), ("dmultu", 0x1D)]:
    for cls, (a, b) in ops64.items():
        p = (s64(a) * s64(b) if name == "dmult" else a * b) & ((1 << 128) - 1)  # HI = high 64, LO = low 64
        hilo("%s-%s" % (name, sgn(cls)), "§5.3 %s: 128-bit product, signs %s" % (name.upper(), cls), f, a, b, p >> 64, p & M64)

def tdiv(a, b):  # truncating toward zero; remainder has the dividend's sign
    q = abs(a) // abs(b)
    if (a < 0) != (b < 0):
        q = -q
    return q, a - q * b

div32 = {"++": (100, 7), "+-": (100, sx32(0xFFFF_FFF9)), "-+": (sx32(0xFFFF_FF9C), 7), "--": (sx32(0xFFFF_FF9C), sx32(0xFFFF_FFF9))}
for name, f, signed in [("div", 0x1A, True), ("divu", 0x1B, False)]:
    cases = dict(div32)
    if signed:
        cases["min-by-neg1"] = (sx32(0x8000_0000), sx32(0xFFFF_FFFF))
    for cls, (a, b) in cases.items():
        for up in ["clean", "dirty"]:
            rs, rt = (a, b) if up == "clean" else (dirty(a), dirty(b))
            if signed:
                q, r = tdiv(s32(rs), s32(rt))
            else:
                q, r = (rs & M32) // (rt & M32), (rs & M32) % (rt & M32)
            hilo("%s-%s-%s" % (name, sgn(cls), up), "§5.3 %s: LO = sx32(q), HI = sx32(r), %s, upper words %s" % (name.upper(), cls, up), f, rs, rt, sx32(r), sx32(q))
    for up, rt in [("clean", 0), ("dirty", 0x5555_0000_0000_0000)]:
        emit('V("cls-%s-by-zero-%s", "§5.3 %s: lo32(rt) == 0 is an exception, upper word %s not tested").Insn(Sp(0x%02X, rs8, rt9, 0, 0)).R(rs8, 100).R(rt9, %s).Exc()' % (name, up, name.upper(), up, f, h(rt)))
div64 = {"++": (1000, 7), "+-": (1000, sx16(0xFFF9)), "-+": (sx16(0xFC18), 7), "--": (sx16(0xFC18), sx16(0xFFF9))}
for name, f, signed in [("ddiv", 0x1E, True), ("ddivu", 0x1F, False)]:
    cases = dict(div64)
    if signed:
        cases["min-by-neg1"] = (MIN64, M64)
    for cls, (a, b) in cases.items():
        if signed:
            q, r = tdiv(s64(a), s64(b))
        else:
            q, r = a // b, a % b
        hilo("%s-%s" % (name, sgn(cls)), "§5.3 %s: LO = q, HI = r (64-bit), %s" % (name.upper(), cls), f, a, b, r & M64, q & M64)
    emit('V("cls-%s-by-zero", "§5.3 %s: rt == 0 is an exception").Insn(Sp(0x%02X, rs8, rt9, 0, 0)).R(rs8, 100).R(rt9, 0).Exc()' % (name, name.upper(), f))

# ------------------------------------------------------------------ clz / clo (1.4)
for name, f in [("clz", 0x20), ("clo", 0x21)]:
    for cls, lo in [("zeros", 0), ("ones", M32), ("mixed", 0x0001_8000)]:
        for up in ["clean", "dirty"]:
            rs = sx32(lo) if up == "clean" else (lo ^ 0xFFFF_FFFF_0000_0000 if lo >> 31 == 0 else lo)
            if up == "dirty" and rs == sx32(rs):
                rs ^= 1 << 50
            bits = format(rs & M32, "032b")
            n = len(bits) - len(bits.lstrip("0" if name == "clz" else "1"))
            rtype("%s-%s-%s" % (name, cls, up), "§5.4 %s counts over lo32(rs) only: %s, upper word %s" % (name.upper(), cls, up), f, rs, 0, n, sp2=True)

# ------------------------------------------------------------------ branches (1.2, 1.5, 1.6)
rsvals = {"zero": 0, "pos": 5, "pos-bit31": 0x8000_0000, "neg": sx16(0xFFF9)}
branches = [("blez", "I(0x06, rs8, 0, 0x10)", lambda v: v <= 0, False), ("bgtz", "I(0x07, rs8, 0, 0x10)", lambda v: v > 0, False),
            ("bltz", "Regimm(0x00, rs8, 0x10)", lambda v: v < 0, False), ("bgez", "Regimm(0x01, rs8, 0x10)", lambda v: v >= 0, False),
            ("bltzal", "Regimm(0x10, rs8, 0x10)", lambda v: v < 0, True), ("bgezal", "Regimm(0x11, rs8, 0x10)", lambda v: v >= 0, True)]
for name, enc, cond, link in branches:
    for cls, v in rsvals.items():
        taken = cond(s64(v))
        line = 'V("cls-%s-rs-%s", "§5.2/§5.5 %s: int64 rs %s -> %s").Insn(%s).R(rs8, %s).WantPC(0x4004, %s)' % (
            name, cls, name.upper(), cls, "taken" if taken else "not taken", enc, h(v), "taken" if taken else "notTak")
        if link:
            line += ".Want(31, 0x4008)"
        emit(line)
        emit('V("cls-%s-rs-%s-in-delay-slot", "§5.6 %s in a delay slot is an exception whatever rs (%s)").PC(0x4000, 0x5000).Insn(%s).R(rs8, %s).Exc()' % (
            name, cls, name.upper(), cls, enc, h(v)))

# ------------------------------------------------------------------ loads and stores (1.7)
NEGW, POSW = 0x8091_A2B3_C4D5_E6F7, 0x0112_2334_4556_6778  # every byte negative / positive
BASE = 0x10000

def byte_of(w, i):
    return w >> (56 - 8 * i) & 0xFF

def set_byte(w, i, b):
    sh = 56 - 8 * i
    return (w & ~(0xFF << sh) & M64) | (b & 0xFF) << sh

def load(name, M, ea, rt):
    b = ea & 7
    def field(n):
        return M >> ((8 - n - (b & ~(n - 1) & 7)) * 8) & ((1 << (8 * n)) - 1)
    W = M >> 32 if ea & 4 == 0 else M & M32
    a = ea & 3
    r = rt & M32
    if name == "lb":  return (field(1) | (~0xFF if field(1) >> 7 else 0)) & M64
    if name == "lbu": return field(1)
    if name == "lh":  return (field(2) | (~0xFFFF if field(2) >> 15 else 0)) & M64
    if name == "lhu": return field(2)
    if name in ("lw", "ll"): return sx32(field(4))
    if name == "lwu": return field(4)
    if name in ("ld", "lld"): return M
    if name == "lwl":  # t = (W << 8a) | (r & ((1<<8a)-1)); R[rt] = sx32(t)
        return sx32(((W << 8 * a) | (r & ((1 << 8 * a) - 1))) & M32)
    if name == "lwr":  # t = (r & ~(0xFFFFFFFF >> (24-8a))) | (W >> (24-8a)); a==3: sx32(t) else keep upper
        t = (r & ~(M32 >> (24 - 8 * a)) & M32) | (W >> (24 - 8 * a))
        return sx32(t) if a == 3 else (rt & 0xFFFF_FFFF_0000_0000) | t
    if name == "ldl":  # (M << 8b) | (R[rt] & ((1<<8b)-1))
        return ((M << 8 * b) | (rt & ((1 << 8 * b) - 1))) & M64
    if name == "ldr":  # s = 56-8b; (M >> s) | (R[rt] & (~0 << (64-s)))
        s = 56 - 8 * b
        return (M >> s) | (rt & ((M64 << (64 - s)) & M64))
    raise ValueError(name)

def store(name, M, ea, rt):
    b = ea & 7
    def put(n):
        i0 = b & ~(n - 1) & 7
        w = M
        for j in range(n):
            w = set_byte(w, i0 + j, rt >> (8 * (n - 1 - j)))
        return w
    a = ea & 3
    r = rt & M32
    rb = [r >> 24 & 0xFF, r >> 16 & 0xFF, r >> 8 & 0xFF, r & 0xFF]
    if name == "sb": return put(1)
    if name == "sh": return put(2)
    if name in ("sw", "sc"): return put(4)
    if name in ("sd", "scd"): return rt
    if name == "swl":  # top 4-a bytes of r to bytes EA .. EA|3
        w = M
        for j in range(4 - a):
            w = set_byte(w, b + j, rb[j])
        return w
    if name == "swr":  # low a+1 bytes of r to bytes EA&~3 .. EA
        w = M
        for j in range(a + 1):
            w = set_byte(w, (b & ~3) + j, rb[3 - a + j])
        return w
    if name == "sdl":  # (R[rt] >> 8b) | (M & ~(~0 >> 8b))
        return (rt >> 8 * b) | (M & ~(M64 >> 8 * b) & M64)
    if name == "sdr":  # s = 56-8b; (R[rt] << s) | (M & ~(~0 << s))
        s = 56 - 8 * b
        return ((rt << s) & M64) | (M & ~((M64 << s) & M64) & M64)
    raise ValueError(name)

loads = [("lb", 0x20), ("lbu", 0x24), ("lh", 0x21), ("lhu", 0x25), ("lw", 0x23), ("lwu", 0x27), ("ld", 0x37),
         ("lwl", 0x22), ("lwr", 0x26), ("ldl", 0x1A), ("ldr", 0x1B), ("ll", 0x30), ("lld", 0x34)]
stores = [("sb", 0x28), ("sh", 0x29), ("sw", 0x2B), ("swl", 0x2A), ("swr", 0x2E), ("sd", 0x3F), ("sdl", 0x2C), ("sdr", 0x2D), ("sc", 0x38), ("scd", 0x3C)]
for name, op in loads:
    for k in range(8):
        leaf = k % 4
        word = BASE + 8 * leaf
        ea = word + k
        M = NEGW if k % 2 == 0 else POSW
        rt = 0xAAAA_AAAA_AAAA_AAAA if name in ("ldl", "ldr") else 0x1111_1111_2233_4455
        line = 'V("cls-%s-off%d-leaf%d", "§5.7 %s at byte offset %d of the word at position %d of its 32-byte leaf").TID(3).Insn(I(0x%02X, rs8, rt9, 0x%04X)).R(rs8, 0x%X).R(rt9, %s).M(0x%X, %s).Want(rt9, %s)' % (
            name, k, leaf, name.upper(), k, leaf, op, ea - BASE, BASE, h(rt), word, h(M), h(load(name, M, ea, rt)))
        if name == "ll":
            line += ".WantLL(1, 0x%X, 3)" % ea  # status 1, exact address, owner = thread (8)
        if name == "lld":
            line += ".WantLL(2, 0x%X, 3)" % ea
        emit(line)
for name, op in stores:
    for k in range(8):
        leaf = k % 4
        word = BASE + 8 * leaf
        ea = word + k
        M = M64 if k % 2 == 0 else 0
        rt = 0x0011_2233_4455_6677 if name in ("sd", "sdl", "sdr", "scd") else 0xDEAD_BEEF_1234_5678 ^ (k << 40)
        line = 'V("cls-%s-off%d-leaf%d", "§5.7 %s at byte offset %d of the word at position %d of its 32-byte leaf; rt bits outside the field are not stored").TID(3)' % (
            name, k, leaf, name.upper(), k, leaf)
        if name in ("sc", "scd"):  # success: reservation of this thread at exactly EA, status 1 (SC) / 2 (SCD) (8)
            line += ".LL(%d, 0x%X, 3)" % (1 if name == "sc" else 2, ea)
        line += '.Insn(I(0x%02X, rs8, rt9, 0x%04X)).R(rs8, 0x%X).R(rt9, %s).M(0x%X, %s).WantM(0x%X, %s)' % (
            op, ea - BASE, BASE, h(rt), word, h(M), word, h(store(name, M, ea, rt)))
        if name in ("sc", "scd"):
            line += ".Want(rt9, 1).WantLL(0, 0, 0)"
        emit(line)

print("""// Code generated by vectors/internal/corpus/derive/classes.py; DO NOT EDIT.

package corpus

// classVectors exercise every operand class of coverage/classes (issue 14). Each expected
// value is the docs/spec.md formula of the row evaluated on the operands by the desk
// calculator derive/classes.py (written from the spec text; it reads neither VM).
func classVectors() []*B {
	return []*B{""")
print("\n".join(out))
print("""	}
}""")
