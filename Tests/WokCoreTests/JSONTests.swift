import Testing

@testable import WokCore

// MARK: - Helpers

/// The error that parsing `text` throws, or nil when it parses.
private func jsonSyntaxError(_ text: String, limits: JSONLimits = .default) -> JSONSyntaxError? {
    do {
        _ = try JSONParser.parse(text, limits: limits)
        return nil
    } catch {
        return error
    }
}

/// The error that parsing raw `bytes` throws, or nil when they parse.
private func jsonSyntaxError(
    utf8 bytes: [UInt8], limits: JSONLimits = .default
) -> JSONSyntaxError? {
    do {
        _ = try JSONParser.parse(utf8: bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

/// The line and column of the end of `bytes`, counted the way the parser documents: lines end at
/// LF, CRLF or CR, and columns count scalars (every byte but a UTF-8 continuation byte).
private func jsonEndPosition(of bytes: [UInt8]) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    for (index, byte) in bytes.enumerated() {
        if byte == 0x0A || (byte == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A)) {
            line += 1
            column = 1
        } else if byte == 0x0D {
            continue  // the CR of a CRLF belongs to the line break
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }
    return (line, column)
}

/// A recipe-shaped document used by several suites.
private let sampleRecipeText = """
    {
      "schema": 1,
      "name": "Kung Pao chicken",
      "serves": 2,
      "description": null,
      "stages": [
        {"name": "sear", "heat": "high", "seconds": 90, "additions": [{"name": "chicken", "grams": 300, "tempC": 4, "water": 0.7}]},
        {"name": "toss", "heat": "medium-high", "seconds": 45.5, "confirm": true}
      ]
    }
    """

private let sampleRecipeValue: JSONValue = [
    "schema": 1,
    "name": "Kung Pao chicken",
    "serves": 2,
    "description": .null,
    "stages": [
        [
            "name": "sear", "heat": "high", "seconds": 90,
            "additions": [["name": "chicken", "grams": 300, "tempC": 4, "water": 0.7]],
        ],
        ["name": "toss", "heat": "medium-high", "seconds": 45.5, "confirm": true],
    ],
]

// MARK: - Values

@Suite struct JSONValueTests {
    @Test func typeNamesAndAccessorsMatchTheCase() {
        let object: JSONObject = ["a": 1]
        let values: [JSONValue] = [.null, true, 2.5, "s", [1], .object(object)]
        #expect(
            values.map(\.typeName) == ["null", "boolean", "number", "string", "array", "object"])
        #expect(values.map { $0.isNull } == [true, false, false, false, false, false])
        #expect(values.map { $0.boolValue } == [nil, true, nil, nil, nil, nil])
        #expect(values.map { $0.numberValue } == [nil, nil, 2.5, nil, nil, nil])
        #expect(values.map { $0.stringValue } == [nil, nil, nil, "s", nil, nil])
        #expect(values.map { $0.arrayValue } == [nil, nil, nil, nil, [1], nil])
        #expect(values.map { $0.objectValue } == [nil, nil, nil, nil, nil, object])
    }

    @Test func intValueIsOnlyForExactWholeNumbers() {
        #expect(JSONValue.number(42).intValue == 42)
        #expect(JSONValue.number(-7).intValue == -7)
        #expect(JSONValue.number(-0.0).intValue == 0)
        #expect(JSONValue.number(2.5).intValue == nil)
        #expect(JSONValue.number(1e300).intValue == nil)
        #expect(JSONValue.number(-9_223_372_036_854_775_808).intValue == Int.min)
        #expect(JSONValue.number(9_223_372_036_854_775_808).intValue == nil)
        #expect(JSONValue.number(.nan).intValue == nil)
        #expect(JSONValue.string("3").intValue == nil)
    }

    @Test func literalsBuildTheExpectedCases() {
        let value: JSONValue = ["b": [1, 2.5, "x", false], "a": [:], "c": []]
        let expected = JSONValue.object(
            JSONObject([
                ("b", .array([.number(1), .number(2.5), .string("x"), .bool(false)])),
                ("a", .object(JSONObject())),
                ("c", .array([])),
            ]))
        #expect(value == expected)
        #expect(value.objectValue?.keys == ["b", "a", "c"])
    }

    @Test func objectEqualityIsOrderSensitive() {
        let ab: JSONObject = ["a": 1, "b": 2]
        #expect(ab == ["a": 1, "b": 2])
        #expect(ab != ["b": 2, "a": 1])
        #expect(ab != ["a": 1, "b": 3])
        #expect(ab != ["a": 1])
        #expect(ab != ["a": 1, "c": 2])
    }

    @Test func objectSubscriptReadsReplacesAppendsAndRemoves() {
        var object: JSONObject = ["name": "wok", "serves": 2]
        #expect(object["name"] == "wok")
        #expect(object["missing"] == nil)
        object["name"] = "pan"  // replaced in place
        object["heat"] = "high"  // appended
        #expect(object.keys == ["name", "serves", "heat"])
        #expect(object["name"] == "pan")
        object["serves"] = nil
        object["absent"] = nil
        #expect(object == ["name": "pan", "heat": "high"])
        #expect(object.count == 2)
        #expect(!object.isEmpty)
        #expect(JSONObject().isEmpty)
    }

    @Test func descriptionIsCompactJSON() {
        let value: JSONValue = ["a": [1, "b"]]
        #expect(value.description == #"{"a":[1,"b"]}"#)
    }
}

// MARK: - Parsing valid documents

@Suite struct JSONParserTests {
    @Test(
        arguments: [
            ("null", JSONValue.null),
            ("true", .bool(true)),
            ("false", .bool(false)),
            ("0", .number(0)),
            ("\"\"", .string("")),
            ("\"wok\"", .string("wok")),
            ("[]", .array([])),
            ("{}", .object(JSONObject())),
            (" \t\r\n 7 \n\t", .number(7)),
            ("[ 1 , \"a\" , null , true ]", [1, "a", .null, true]),
            ("{ \"a\" : 1 , \"b\" : [ ] }", ["a": 1, "b": []]),
        ] as [(String, JSONValue)])
    func parsesEveryKindOfValue(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test(
        arguments: [
            ("0", 0.0),
            ("-0", -0.0),
            ("7", 7),
            ("-42", -42),
            ("123456789012345", 123_456_789_012_345),
            ("1234567890123456789", 1_234_567_890_123_456_768),
            ("9007199254740993", 9_007_199_254_740_992),
            ("-9999999999999999999", -1e19),
            ("0.1", 0.1),
            ("-12.5e+2", -1250),
            ("1.5E3", 1500),
            ("1e-2", 0.01),
            ("2.5e0", 2.5),
            ("1e308", 1e308),
            ("1.7976931348623157e308", .greatestFiniteMagnitude),
            ("5e-324", .leastNonzeroMagnitude),
            ("1e-400", 0),
            ("0.30000000000000004", 0.30000000000000004),
        ] as [(String, Double)])
    func parsesNumbersExactly(text: String, expected: Double) throws {
        let value = try JSONParser.parse(text)
        #expect(value == .number(expected))
        #expect(value.numberValue?.sign == expected.sign)
    }

    @Test(
        arguments: [
            (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
            (#""\u0041\u00e9\u20AC""#, "Aé€"),
            (#""\u0000""#, "\u{0}"),
            (#""\uD83D\uDE00""#, "😀"),
            (#""\ud834\udd1e clef""#, "𝄞 clef"),
            (#""wok 鑊 🔥""#, "wok 鑊 🔥"),
            (#""a\u005Cb""#, "a\\b"),
            (#""\uFFFF\uE000""#, "\u{FFFF}\u{E000}"),
            (#""\uDBFF\uDFFF""#, "\u{10FFFF}"),
        ] as [(String, String)])
    func decodesEscapesAndUnicode(text: String, expected: String) throws {
        #expect(try JSONParser.parse(text) == .string(expected))
    }

    @Test func parsesANestedMultiLineDocumentKeepingOrder() throws {
        let value = try JSONParser.parse(sampleRecipeText)
        #expect(value == sampleRecipeValue)
        #expect(value.objectValue?.keys == ["schema", "name", "serves", "description", "stages"])
        let stages = value.objectValue?["stages"]?.arrayValue
        #expect(stages?.count == 2)
        #expect(stages?.last?.objectValue?["seconds"] == 45.5)
    }

    @Test func sameKeyInDifferentObjectsIsFine() throws {
        let value = try JSONParser.parse(#"{"a": {"a": 1}, "b": [{"a": 2}, {"a": 3}]}"#)
        #expect(value == ["a": ["a": 1], "b": [["a": 2], ["a": 3]]])
    }

    @Test func duplicateKeysAreFoundInLargeObjectsToo() {
        // Past a dozen members the parser switches from scanning to a set; both must catch it.
        let members = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        #expect(jsonSyntaxError("{\(members)}") == nil)
        let text = "{\(members),\n \"k17\": 0}"
        #expect(
            jsonSyntaxError(text)
                == JSONSyntaxError(line: 2, column: 2, message: "duplicate key \"k17\""))
    }

    @Test func bytesAndStringEntryPointsAgree() throws {
        let fromString = try JSONParser.parse(sampleRecipeText)
        let fromBytes = try JSONParser.parse(utf8: Array(sampleRecipeText.utf8))
        #expect(fromString == fromBytes)
    }

    @Test(
        arguments: [
            ([0x22, 0xC3, 0x28, 0x22], 2),  // a lead byte without its continuation
            ([0x22, 0x61, 0xC0, 0x80, 0x22], 3),  // overlong encoding of U+0000
            ([0x22, 0xE0, 0x80, 0x80, 0x22], 2),  // overlong three-byte encoding
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 2),  // an encoded surrogate
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 2),  // above U+10FFFF
            ([0x22, 0xE2, 0x82, 0x22], 2),  // truncated three-byte sequence
            ([0x22, 0x80, 0x22], 2),  // a stray continuation byte
        ] as [([UInt8], Int)])
    func rejectsInvalidUTF8InStrings(bytes: [UInt8], column: Int) {
        #expect(
            jsonSyntaxError(utf8: bytes)
                == JSONSyntaxError(line: 1, column: column, message: "invalid UTF-8"))
    }

    @Test func rejectsInvalidUTF8OutsideStrings() {
        #expect(
            jsonSyntaxError(utf8: [0x5B, 0xFF, 0x5D])
                == JSONSyntaxError(
                    line: 1, column: 2, message: "unexpected character byte 0xFF (invalid UTF-8)"))
    }
}

// MARK: - Errors

/// One malformed document and exactly what the parser must say about it.
struct JSONErrorCase: Sendable, CustomTestStringConvertible {
    var input: String
    var line: Int
    var column: Int
    var message: String

    init(_ input: String, _ line: Int, _ column: Int, _ message: String) {
        (self.input, self.line, self.column, self.message) = (input, line, column, message)
    }

    var testDescription: String { input.debugDescription }
}

@Suite struct JSONErrorTests {
    static let cases: [JSONErrorCase] = [
        // Document level.
        JSONErrorCase("", 1, 1, "empty document"),
        JSONErrorCase("  \n\t", 2, 2, "empty document"),
        JSONErrorCase("[1, 2] 3", 1, 8, "extra text after the JSON value"),
        JSONErrorCase("{}\n}", 2, 1, "extra text after the JSON value"),
        JSONErrorCase(
            "\u{FEFF}{}", 1, 1, "byte order mark is not allowed; save the file as UTF-8 without BOM"
        ),
        // Containers.
        JSONErrorCase("{\n  \"name\": \"Kung Pao\",\n}", 2, 21, "trailing comma is not allowed"),
        JSONErrorCase("[\n  1,\n  2,\n]", 3, 4, "trailing comma is not allowed"),
        JSONErrorCase("[\r\n  1,\r\n]", 2, 4, "trailing comma is not allowed"),
        JSONErrorCase(
            "{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3, "expected ',' or '}' after object member"),
        JSONErrorCase("[1 2]", 1, 4, "expected ',' or ']' after array element"),
        JSONErrorCase("[\r1\rx]", 3, 1, "expected ',' or ']' after array element"),
        JSONErrorCase("{\"a\" 1}", 1, 6, "expected ':' after object key"),
        JSONErrorCase("[1,,2]", 1, 4, "expected a value but found ','"),
        JSONErrorCase("{\"a\":}", 1, 6, "expected a value but found '}'"),
        JSONErrorCase("{,}", 1, 2, "expected an object key (a double-quoted string) but found ','"),
        JSONErrorCase("{a: 1}", 1, 2, "object keys must be double-quoted strings"),
        JSONErrorCase("{'a': 1}", 1, 2, "single-quoted strings are not allowed; use '\"'"),
        JSONErrorCase(
            "[\n  1,\n  2\n", 4, 1,
            "unexpected end of input; the array opened at line 1, column 1 is not closed"),
        JSONErrorCase(
            "{\n  \"stages\": [\n    {\"a\": 1}\n", 4, 1,
            "unexpected end of input; the array opened at line 2, column 13 is not closed"),
        JSONErrorCase(
            "{\"a\": 1", 1, 8,
            "unexpected end of input; the object opened at line 1, column 1 is not closed"),
        JSONErrorCase("[1,", 1, 4, "unexpected end of input; expected a value"),
        JSONErrorCase("{\"a\"", 1, 5, "unexpected end of input; expected ':' after object key"),
        JSONErrorCase("{\"a\":1,", 1, 8, "unexpected end of input; expected an object key"),
        // Duplicate keys, reported at the second one.
        JSONErrorCase("{\n  \"name\": 1,\n  \"name\": 2\n}", 3, 3, "duplicate key \"name\""),
        JSONErrorCase("{\"a\":1,\"\\u0061\":2}", 1, 8, "duplicate key \"a\""),
        JSONErrorCase("{\"a\\\"b\":1,\"a\\\"b\":2}", 1, 11, "duplicate key \"a\\\"b\""),
        JSONErrorCase("{\"key🔥\": 1, \"key🔥\": 2}", 1, 13, "duplicate key \"key🔥\""),
        // Strings.
        JSONErrorCase("[\"abc", 1, 2, "unterminated string"),
        JSONErrorCase("\"\\\"", 1, 1, "unterminated string"),
        JSONErrorCase(
            "{\n  \"name\": \"Kung Pao\n}", 2, 11,
            "unterminated string: line break before the closing '\"'"),
        JSONErrorCase("[\"a\\qb\"]", 1, 4, "invalid escape \\q"),
        JSONErrorCase("\"a\\é\"", 1, 3, "invalid escape '\\' followed by 'é' (U+00E9)"),
        JSONErrorCase("\"\\u12G4\"", 1, 2, "invalid \\u escape: expected 4 hex digits"),
        JSONErrorCase("\"\\uD83D\"", 1, 2, "unpaired high surrogate \\uD83D in string"),
        JSONErrorCase("\"\\uD83D\\u0041\"", 1, 2, "unpaired high surrogate \\uD83D in string"),
        JSONErrorCase("\"\\uD83Dx\"", 1, 2, "unpaired high surrogate \\uD83D in string"),
        JSONErrorCase("\"x\\uDE00\"", 1, 3, "unpaired low surrogate \\uDE00 in string"),
        JSONErrorCase("\"tab\there\"", 1, 5, "control character U+0009 in string; write it as \\t"),
        JSONErrorCase("\"\u{1}\"", 1, 2, "control character U+0001 in string; write it as \\u0001"),
        // Numbers.
        JSONErrorCase("01", 1, 1, "leading zeros are not allowed"),
        JSONErrorCase("[-012]", 1, 3, "leading zeros are not allowed"),
        JSONErrorCase("+1", 1, 1, "a number cannot start with '+'"),
        JSONErrorCase(".5", 1, 1, "a number needs a digit before '.'"),
        JSONErrorCase("1.", 1, 3, "expected a digit after '.'"),
        JSONErrorCase("1e", 1, 3, "expected a digit in the exponent"),
        JSONErrorCase("1e+x", 1, 4, "expected a digit in the exponent"),
        JSONErrorCase("-", 1, 2, "expected a digit after '-'"),
        JSONErrorCase("- 1", 1, 2, "expected a digit after '-'"),
        JSONErrorCase("1e309", 1, 1, "number out of range"),
        JSONErrorCase("[0,\n -1e400]", 2, 2, "number out of range"),
        JSONErrorCase("0x1F", 1, 2, "invalid character 'x' in number"),
        JSONErrorCase("1.2.3", 1, 4, "invalid character '.' in number"),
        JSONErrorCase("[NaN]", 1, 2, "NaN and Infinity are not allowed"),
        JSONErrorCase("-Infinity", 1, 1, "NaN and Infinity are not allowed"),
        // Words and stray characters.
        JSONErrorCase("[1, x]", 1, 5, "unexpected character 'x'"),
        JSONErrorCase("[True]", 1, 2, "invalid literal 'True'; did you mean 'true'?"),
        JSONErrorCase("nul", 1, 1, "invalid literal 'nul'; did you mean 'null'?"),
        JSONErrorCase(
            "[abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz]", 1, 2,
            "unexpected word 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn…'; strings must be in double quotes"
        ),
        JSONErrorCase(
            "{\"heat\": high}", 1, 10, "unexpected word 'high'; strings must be in double quotes"),
        JSONErrorCase("// comment\n{}", 1, 1, "comments are not allowed"),
        JSONErrorCase("{\"a\": /* x */ 1}", 1, 7, "comments are not allowed"),
        JSONErrorCase(
            "\u{201C}name\u{201D}", 1, 1,
            "unexpected character '\u{201C}' (U+201C); use straight quotes '\"'"),
        JSONErrorCase("é", 1, 1, "unexpected character 'é' (U+00E9)"),
        JSONErrorCase("\u{0}", 1, 1, "unexpected character U+0000"),
        // Columns count Unicode scalars, not bytes: 'é' and '🔥' are one column each.
        JSONErrorCase("[\"é\", x]", 1, 7, "unexpected character 'x'"),
        JSONErrorCase("[\"🔥é\",\n \"🔥\" x]", 2, 6, "expected ',' or ']' after array element"),
    ]

    @Test(arguments: cases)
    func reportsTheExactMessageAndPosition(_ testCase: JSONErrorCase) {
        let expected = JSONSyntaxError(
            line: testCase.line, column: testCase.column, message: testCase.message)
        #expect(jsonSyntaxError(testCase.input) == expected)
    }

    @Test func descriptionNamesLineColumnAndMessage() {
        let error = jsonSyntaxError("{\n  \"a\": 1,\n}")
        #expect(error?.description == "line 2, column 9: trailing comma is not allowed")
    }
}

// MARK: - Limits

@Suite struct JSONLimitsTests {
    @Test func defaultsAreAsDocumented() {
        let limits = JSONLimits.default
        #expect(limits.maxBytes == 1_048_576)
        #expect(limits.maxDepth == 64)
        #expect(limits.maxStringBytes == 65_536)
        #expect(limits.maxMembers == 10_000)
    }

    @Test func depthUpToTheLimitParsesAndOneMoreFails() {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(jsonSyntaxError(deepest) == nil)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(
            jsonSyntaxError(tooDeep)
                == JSONSyntaxError(
                    line: 1, column: 65, message: "document nested deeper than 64 levels"))
    }

    @Test func depthCountsObjectsAndArraysAlike() {
        let limits = JSONLimits(maxDepth: 3)
        #expect(jsonSyntaxError(#"{"a": [{"b": 1}]}"#, limits: limits) == nil)
        #expect(
            jsonSyntaxError(#"{"a": [{"b": [1]}]}"#, limits: limits)
                == JSONSyntaxError(
                    line: 1, column: 14, message: "document nested deeper than 3 levels"))
    }

    @Test func hugeNestingFailsFastWithoutRecursing() {
        let text = String(repeating: "[", count: 200_000)
        #expect(jsonSyntaxError(text)?.message == "document nested deeper than 64 levels")
        let objects = String(repeating: "{\"a\":", count: 200_000)
        #expect(jsonSyntaxError(objects)?.column == 321)
    }

    @Test func documentSizeIsBounded() {
        let limit = JSONLimits.default.maxBytes
        let fits = "1" + String(repeating: " ", count: limit - 1)
        #expect(jsonSyntaxError(fits) == nil)
        let tooBig = fits + " "
        let expected = JSONSyntaxError(
            line: 1, column: 1,
            message: "document is 1048577 bytes, over the limit of 1048576 bytes")
        #expect(jsonSyntaxError(tooBig) == expected)
        #expect(jsonSyntaxError(utf8: Array(tooBig.utf8)) == expected)
        #expect(
            jsonSyntaxError("[1, 2]", limits: JSONLimits(maxBytes: 5))?.message
                == "document is 6 bytes, over the limit of 5 bytes")
    }

    @Test func stringLengthCountsDecodedBytes() {
        let limits = JSONLimits(maxStringBytes: 8)
        #expect(jsonSyntaxError("\"12345678\"", limits: limits) == nil)
        let tooLong = JSONSyntaxError(
            line: 1, column: 2, message: "string is longer than the limit of 8 bytes")
        #expect(jsonSyntaxError("[\"123456789\"]", limits: limits) == tooLong)
        // Four escaped 'é' decode to 8 bytes though they take 24 in the source.
        #expect(jsonSyntaxError(#""\u00e9\u00e9\u00e9\u00e9""#, limits: limits) == nil)
        #expect(jsonSyntaxError(#"["\u00e9\u00e9\u00e9\u00e9!"]"#, limits: limits) == tooLong)
        #expect(jsonSyntaxError(#"{"123456789": 1}"#, limits: limits) == tooLong)
        #expect(jsonSyntaxError(#"["éééé"]"#, limits: limits) == nil)
        #expect(jsonSyntaxError(#"["ééééé"]"#, limits: limits) == tooLong)
    }

    @Test func elementAndMemberCountsAreBounded() {
        let limits = JSONLimits(maxMembers: 3)
        #expect(jsonSyntaxError("[1, 2, 3]", limits: limits) == nil)
        #expect(
            jsonSyntaxError("[1, 2, 3, 44]", limits: limits)
                == JSONSyntaxError(line: 1, column: 11, message: "array has more than 3 elements"))
        #expect(
            jsonSyntaxError("[1, 2, 3, [4]]", limits: limits)
                == JSONSyntaxError(line: 1, column: 11, message: "array has more than 3 elements"))
        #expect(jsonSyntaxError(#"{"a": 1, "b": 2, "c": 3}"#, limits: limits) == nil)
        #expect(
            jsonSyntaxError("{\"a\": 1, \"b\": 2, \"c\": 3,\n \"d\": 4}", limits: limits)
                == JSONSyntaxError(line: 2, column: 2, message: "object has more than 3 members"))
    }
}

// MARK: - Writing

@Suite struct JSONWriterTests {
    @Test func compactOutputHasNoWhitespace() {
        #expect(
            sampleRecipeValue.serialized() == """
                {"schema":1,"name":"Kung Pao chicken","serves":2,"description":null,"stages":[\
                {"name":"sear","heat":"high","seconds":90,"additions":[{"name":"chicken","grams":300,\
                "tempC":4,"water":0.7}]},{"name":"toss","heat":"medium-high","seconds":45.5,"confirm":true}]}
                """)
    }

    @Test func prettyOutputIsIndentedAndStable() {
        let value: JSONValue = [
            "name": "wok", "levels": [1, 2.5, "max"], "empty": [], "none": [:],
            "stages": [["heat": "high", "tags": []], [1, [2]]],
        ]
        #expect(
            value.serialized(pretty: true) == """
                {
                  "name": "wok",
                  "levels": [1, 2.5, "max"],
                  "empty": [],
                  "none": {},
                  "stages": [
                    {
                      "heat": "high",
                      "tags": []
                    },
                    [
                      1,
                      [2]
                    ]
                  ]
                }
                """)
        #expect(JSONValue.string("x").serialized(pretty: true) == "\"x\"")
    }

    @Test func stringsAreEscaped() {
        let value = JSONValue.string("a\"b\\c/\n\r\t\u{8}\u{C}\u{0}\u{1}\u{1F}\u{7F}é😀")
        #expect(value.serialized() == #""a\"b\\c/\n\r\t\b\f\u0000\u0001\u001f"# + "\u{7F}é😀\"")
        #expect(JSONValue.object(["k\"\n": 1]).serialized() == #"{"k\"\n":1}"#)
    }

    @Test(
        arguments: [
            (0.0, "0"),
            (-0.0, "-0"),
            (42, "42"),
            (-42, "-42"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (-2.25e-5, "-2.25e-05"),
            (1e20, "1e+20"),
            (9_007_199_254_740_991, "9007199254740991"),
            (123_456_789.125, "123456789.125"),
            (.greatestFiniteMagnitude, "1.7976931348623157e+308"),
            (.leastNonzeroMagnitude, "5e-324"),
            (.nan, "null"),
            (.infinity, "null"),
            (-.infinity, "null"),
        ] as [(Double, String)])
    func numbersAreValidJSON(value: Double, expected: String) {
        #expect(JSONValue.number(value).serialized() == expected)
    }

    static let roundTripValues: [JSONValue] = [
        .null, true, false, 0, -1, 0.1, .number(1.0 / 3.0), -1e-300, 1e300, 9_007_199_254_740_994,
        .number(.greatestFiniteMagnitude), .number(.leastNonzeroMagnitude),
        "", "plain", "quote \" backslash \\ slash /", "\u{0}\u{1}\u{8}\t\n\u{B}\u{C}\r\u{1F}\u{7F}",
        "wok 鑊 🔥 \u{10FFFF} \u{FEFF}",
        [], [:], [[], [:], [[[]]]], ["a": ["b": ["c": [1, "2", [3.5]]]]],
        ["z": 1, "a": 2, "m": [true, .null]],
        sampleRecipeValue,
    ]

    @Test(arguments: roundTripValues)
    func parseReadsBackWhatSerializeWrote(value: JSONValue) throws {
        #expect(try JSONParser.parse(value.serialized()) == value)
        #expect(try JSONParser.parse(value.serialized(pretty: true)) == value)
    }

    @Test func controlCharactersRoundTripOneByOne() throws {
        for code in UInt32(0)..<0x80 {
            let text = "<" + String(Character(Unicode.Scalar(code) ?? "?")) + ">"
            #expect(try JSONParser.parse(JSONValue.string(text).serialized()) == .string(text))
        }
    }

    @Test func randomValuesRoundTrip() throws {
        var random = JSONRobustnessTests.SplitMix64(state: 0xC0FF_EE00_5EED_0001)
        for _ in 0..<500 {
            let value = randomValue(&random, depth: 0)
            #expect(try JSONParser.parse(value.serialized()) == value)
            #expect(try JSONParser.parse(value.serialized(pretty: true)) == value)
        }
    }

    private func randomValue(_ random: inout JSONRobustnessTests.SplitMix64, depth: Int)
        -> JSONValue
    {
        switch random.below(depth < 4 ? 8 : 6) {
        case 0: return .null
        case 1: return .bool(random.below(2) == 0)
        case 2:
            // Any finite bit pattern: checks that the shortest description reads back exactly.
            let number = Double(bitPattern: random.next())
            return .number(number.isFinite ? number : Double(random.below(1000)) - 500)
        case 3: return .number(Double(random.below(2_000_001)) - 1_000_000)
        case 4, 5:
            var string = ""
            for _ in 0..<random.below(12) {
                let ranges: [ClosedRange<UInt32>] = [
                    0...0x7F, 0x80...0x7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF,
                ]
                let range = random.pick(ranges)
                let code =
                    range.lowerBound
                    + UInt32(random.below(Int(range.upperBound - range.lowerBound) + 1))
                if let scalar = Unicode.Scalar(code) { string.unicodeScalars.append(scalar) }
            }
            return .string(string)
        case 6:
            return .array((0..<random.below(5)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            var object = JSONObject()
            for index in 0..<random.below(5) {
                object["k\(index)\(random.below(100))"] = randomValue(&random, depth: depth + 1)
            }
            return .object(object)
        }
    }
}

// MARK: - Robustness

@Suite struct JSONRobustnessTests {
    /// Fragments that make random input look JSON-like enough to reach deep parser states.
    static let fragments: [String] = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "D83D", "\\uDE00", "0", "1", "9",
        "-", ".", "e", "E", "+", "true", "false", "null", "nul", " ", "\n", "\r\n", "\r", "\t",
        "\"key\"", "é", "🔥", "/", "'", "\u{0}", "\u{1F}", "1e999", "\"\\n\"", "x",
    ]

    static let seeds: [String] = [
        sampleRecipeText,
        #"[1, -2.5e3, "a\u00e9\uD83D\uDE00", true, false, null, {}, [], 0, 1e-7]"#,
        #"{"a": {"b": {"c": [[["deep"]]]}}, "d": "\\\"\/", "e": -0}"#,
        "\"just a string\"",
    ]

    /// Checks one outcome and says whether the input parsed.
    private func check(_ bytes: [UInt8]) -> Bool {
        do {
            let value = try JSONParser.parse(utf8: bytes)
            // Whatever parses must survive a round trip through the writer.
            #expect(try JSONParser.parse(value.serialized()) == value)
            return true
        } catch {
            let end = jsonEndPosition(of: bytes)
            #expect(error.line >= 1 && error.column >= 1)
            #expect(
                error.line < end.line || (error.line == end.line && error.column <= end.column),
                "error \(error) lies past the end (\(end)) of \(bytes)")
            #expect(!error.message.isEmpty)
            return false
        }
    }

    @Test func randomBytesParseOrFailCleanly() {
        var random = SplitMix64(state: 0x5EED_0000_0000_0001)
        var failures = 0
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.below(24) {
                if random.below(5) == 0 {
                    bytes.append(UInt8(truncatingIfNeeded: random.next()))
                } else {
                    bytes.append(contentsOf: random.pick(Self.fragments).utf8)
                }
            }
            if !check(bytes) { failures += 1 }
            // The String entry point sees the same bytes with invalid UTF-8 repaired.
            _ = check(Array(String(decoding: bytes, as: UTF8.self).utf8))
        }
        #expect(failures > 2000)
    }

    @Test func mutatedDocumentsParseOrFailCleanly() {
        var random = SplitMix64(state: 0x5EED_0000_0000_0002)
        var successes = 0
        var failures = 0
        for _ in 0..<3000 {
            var bytes = Array(random.pick(Self.seeds).utf8)
            for _ in 0..<(1 + random.below(3)) {
                mutate(&bytes, &random)
            }
            if check(bytes) { successes += 1 } else { failures += 1 }
        }
        // Both paths must be exercised, or the test is not testing much.
        #expect(successes > 100)
        #expect(failures > 1000)
    }

    @Test func everyTruncationOfADocumentFails() {
        for seed in [sampleRecipeText, Self.seeds[1], Self.seeds[2]] {
            let bytes = Array(seed.utf8)
            #expect(check(bytes))
            for length in 0..<bytes.count {
                #expect(!check(Array(bytes[..<length])), "prefix of \(length) bytes parsed")
            }
        }
    }

    private func mutate(_ bytes: inout [UInt8], _ random: inout SplitMix64) {
        let index = bytes.isEmpty ? 0 : random.below(bytes.count)
        switch random.below(5) {
        case 0 where !bytes.isEmpty:
            bytes[index] = UInt8(truncatingIfNeeded: random.next())
        case 1:
            bytes.insert(contentsOf: random.pick(Self.fragments).utf8, at: index)
        case 2 where !bytes.isEmpty:
            bytes.removeSubrange(index..<min(bytes.count, index + 1 + random.below(4)))
        case 3 where !bytes.isEmpty:
            let end = min(bytes.count, index + 1 + random.below(16))
            bytes.insert(contentsOf: bytes[index..<end], at: random.below(bytes.count))
        case 4 where bytes.count > 1:
            bytes.swapAt(index, random.below(bytes.count))
        default:
            bytes.append(contentsOf: random.pick(Self.fragments).utf8)
        }
    }
}

extension JSONRobustnessTests {
    /// A small, fast, deterministic generator (SplitMix64), so fuzz failures reproduce exactly.
    struct SplitMix64 {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// A number in 0..<bound.
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }
}
