import Foundation

/// Checks of pictures with python3's standard library (no imaging packages needed): SVG
/// well-formedness with minidom, and a PNG decoded with zlib, counting pixels of one colour.
enum PictureCheck {
    /// Whether `path` parses as XML; the parser's complaint when not.
    static func xmlProblem(_ path: String) throws -> String? {
        let result = try python(["-c", "import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])", path])
        return result.status == 0 ? nil : result.err
    }

    struct PNGFigures: Decodable {
        var width: Int
        var height: Int
        var distinctColors: Int
        var colorInBox: Int
        var colorOutsideBox: Int
    }

    /// Decodes a PNG (8-bit RGB or RGBA) and counts pixels within 40 of `rgb` inside and outside
    /// the box `x0...x1, y0...y1`.
    static func png(_ path: String, rgb: (Int, Int, Int), box: (x0: Int, y0: Int, x1: Int, y1: Int)) throws -> PNGFigures {
        let result = try python(["-c", decoder, path, "\(rgb.0)", "\(rgb.1)", "\(rgb.2)", "\(box.x0)", "\(box.y0)", "\(box.x1)", "\(box.y1)"])
        guard result.status == 0 else { throw PictureError.decode(result.err) }
        return try JSONDecoder().decode(PNGFigures.self, from: Data(result.out.utf8))
    }

    enum PictureError: Error {
        case decode(String)
    }

    static func python(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try runProcess(URL(fileURLWithPath: "/usr/bin/python3"), arguments)
    }

    static let decoder = #"""
        import sys, zlib, struct, json
        data = open(sys.argv[1], 'rb').read()
        assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
        pos, idat = 8, b''
        while pos < len(data):
            length, kind = struct.unpack('>I4s', data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            if kind == b'IHDR':
                width, height, depth, ctype = struct.unpack('>IIBB', body[:10])
            elif kind == b'IDAT':
                idat += body
            pos += 12 + length
        assert depth == 8 and ctype in (2, 6), 'unsupported PNG %d/%d' % (depth, ctype)
        bpp = 4 if ctype == 6 else 3
        raw = zlib.decompress(idat)
        stride = width * bpp
        rows, prev, i = [], bytearray(stride), 0
        for y in range(height):
            f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
                if f == 1: line[x] = (line[x] + a) & 255
                elif f == 2: line[x] = (line[x] + b) & 255
                elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
                elif f == 4:
                    p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            rows.append(line); prev = line
        r, g, b, x0, y0, x1, y1 = map(int, sys.argv[2:9])
        colors, inside, outside = set(), 0, 0
        for y, line in enumerate(rows):
            for x in range(width):
                px = line[x * bpp:x * bpp + 3]
                colors.add(bytes(px))
                if abs(px[0] - r) + abs(px[1] - g) + abs(px[2] - b) <= 40:
                    if x0 <= x <= x1 and y0 <= y <= y1: inside += 1
                    else: outside += 1
        print(json.dumps({'width': width, 'height': height, 'distinctColors': len(colors), 'colorInBox': inside, 'colorOutsideBox': outside}))
        """#
}
