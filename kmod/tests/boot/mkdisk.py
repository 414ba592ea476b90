#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Build the disk image loader.asm boots: the kernel already decompressed
and flattened to its physical load addresses, a boot_params page (setup
header copied from the bzImage, e820 map, command line and initramfs
pointers) and the initramfs.  Doing the boot loader's work here keeps the
in-Bochs boot at ~7 s instead of ~45 s of emulated xz decompression.

usage: mkdisk.py --kernel VMLINUZ --initrd CPIO --cmdline TEXT --megs N --out IMG
"""
import argparse
import lzma
import struct
import sys

SECTOR = 512
BOOT_PARAMS = 0x14000
CMDLINE = 0x15000
INITRD_AT = 0x8000000		# 128 MiB, above the kernel's _end
SKIP = 0x10000			# zero runs this long are not stored (RAM is zero)


def die(msg):
    sys.exit("mkdisk.py: " + msg)


def extract_vmlinux(bz):
    """The xz payload of a bzImage, decompressed to the vmlinux ELF."""
    if bz[0x202:0x206] != b"HdrS":
        die("kernel: no 'HdrS' setup header at 0x202: not a bzImage")
    setup_sects = bz[0x1f1] or 4
    off = (setup_sects + 1) * SECTOR
    poff, plen = struct.unpack_from("<II", bz, 0x248)
    payload = bz[off + poff:off + poff + plen]
    if payload[:6] != b"\xfd7zXZ\x00":
        die("kernel: payload at 0x%x is not xz (CONFIG_KERNEL_XZ expected)"
            % (off + poff))
    dec = lzma.LZMADecompressor(format=lzma.FORMAT_XZ)
    elf = dec.decompress(payload)
    if elf[:4] != b"\x7fELF":
        die("kernel: decompressed payload is not an ELF file")
    return elf


def load_segments(elf):
    """[(phys, bytes)] of the PT_LOAD segments, and the physical entry."""
    entry, phoff = struct.unpack_from("<QQ", elf, 0x18)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    segs = []
    entry_phys = None
    for i in range(phnum):
        p = phoff + i * phentsize
        ptype, _flags, off, vaddr, paddr, filesz, memsz = \
            struct.unpack_from("<IIQQQQQ", elf, p)
        if ptype != 1:
            continue
        data = elf[off:off + filesz] + bytes(memsz - filesz)
        segs.append((paddr, data))
        if vaddr <= entry < vaddr + memsz:
            entry_phys = entry - vaddr + paddr
        elif paddr <= entry < paddr + memsz:
            entry_phys = entry
    if entry_phys is None:
        die("kernel: entry point 0x%x is in no PT_LOAD segment" % entry)
    return segs, entry_phys


def boot_params(bz, cmdline, initrd_len, megs):
    bp = bytearray(4096)
    hdr_end = 0x202 + bz[0x201]
    bp[0x1f1:hdr_end] = bz[0x1f1:hdr_end]
    bp[0x210] = 0xff				# type_of_loader: undefined
    bp[0x211] |= 0x01				# LOADED_HIGH
    struct.pack_into("<II", bp, 0x218, INITRD_AT, initrd_len)
    struct.pack_into("<I", bp, 0x228, CMDLINE)
    top = megs << 20
    e820 = [(0, 0x9fc00, 1), (0x9fc00, 0x400, 2), (0xf0000, 0x10000, 2),
            (0x100000, top - 0x100000, 1)]
    if INITRD_AT + initrd_len > top:
        die("initrd: %d bytes at 0x%x do not fit in %d MiB"
            % (initrd_len, INITRD_AT, megs))
    bp[0x1e8] = len(e820)
    for i, (addr, size, typ) in enumerate(e820):
        struct.pack_into("<QQI", bp, 0x2d0 + 20 * i, addr, size, typ)
    return bytes(bp)


def split_nonzero(phys, data):
    """Chunks of @data that are not all zero, at SKIP granularity."""
    out = []
    start = None
    for i in range(0, len(data), SKIP):
        zero = not any(data[i:i + SKIP])
        if not zero and start is None:
            start = i
        if zero and start is not None:
            out.append((phys + start, data[start:i]))
            start = None
    if start is not None:
        out.append((phys + start, data[start:]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--cmdline", required=True)
    ap.add_argument("--megs", type=int, default=256)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    bz = open(a.kernel, "rb").read()
    initrd = open(a.initrd, "rb").read()
    segs, entry = load_segments(extract_vmlinux(bz))
    cmd = a.cmdline.encode() + b"\0"
    if len(cmd) > 2048:
        die("cmdline: longer than 2048 bytes")

    chunks = [(BOOT_PARAMS, boot_params(bz, a.cmdline, len(initrd), a.megs)),
              (CMDLINE, cmd), (INITRD_AT, initrd)]
    for phys, data in segs:
        chunks += split_nonzero(phys, data)
    if len(chunks) > 126 * 32:
        die("kernel: %d chunks, the loader takes at most %d"
            % (len(chunks), 126 * 32))

    table_sects = (len(chunks) + 31) // 32
    lba = 1 + table_sects
    table = bytearray()
    body = bytearray()
    for phys, data in chunks:
        n = (len(data) + SECTOR - 1) // SECTOR
        table += struct.pack("<IIQ", lba, n, phys)
        body += data + bytes(n * SECTOR - len(data))
        lba += n
    head = struct.pack("<8sQQI", b"VMXCCBT1", entry, BOOT_PARAMS, len(chunks))
    img = head + bytes(SECTOR - len(head)) + table
    img += bytes(table_sects * SECTOR - len(table)) + body
    cyl = 16 * 63 * SECTOR			# Bochs wants whole cylinders
    img += bytes(-len(img) % cyl)
    open(a.out, "wb").write(img)


if __name__ == "__main__":
    main()
