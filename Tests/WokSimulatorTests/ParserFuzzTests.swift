import Foundation
import Testing
import WokCore

@testable import WokSimulator

/// The seeded fuzz harness in the tests (libFuzzer runs beside it: Tests/fuzz/run.sh): mutations
/// of the shipped files into the recipe, station and plant parsers. No input may crash or hang a
/// parser, and every rejection must say what is wrong and where.
@Suite struct ParserFuzzTests {
    static let inputsPerParser = 1_500

    private func corpus(_ paths: [String]) throws -> [[UInt8]] {
        try paths.map { Array(try Data(contentsOf: repositoryRoot.appendingPathComponent($0))) }
    }

    private func expectClearRejection(_ error: DocumentError, seed: UInt64, index: Int) {
        switch error {
        case .syntax(let source, let syntax):
            #expect(
                source == "fuzz.json" && syntax.line >= 1 && syntax.column >= 1 && !syntax.message.isEmpty,
                "seed \(seed) input \(index): \(error)")
        case .invalid(let source, let problems):
            #expect(source == "fuzz.json" && !problems.isEmpty, "seed \(seed) input \(index): rejected without a problem")
            for problem in problems {
                #expect(!problem.location.isEmpty && !problem.message.isEmpty, "seed \(seed) input \(index): \(problem)")
            }
        }
    }

    private func fuzz<Decoded>(
        seed: UInt64, corpus: [[UInt8]], _ parse: (String, String) -> Result<Decoded, DocumentError>
    ) {
        var accepted = 0
        // No time bound per input: a debug build on a busy host is slow. Cost per input is the
        // parsers' limits' job, and libFuzzer's (Tests/fuzz) on a release build.
        for (index, input) in FuzzInputs(seed: seed, corpus: corpus).prefix(Self.inputsPerParser).enumerated() {
            let result = parse(String(decoding: input, as: UTF8.self), "fuzz.json")
            switch result {
            case .success: accepted += 1
            case .failure(let error): expectClearRejection(error, seed: seed, index: index)
            }
        }
        // The mutations are meant to break documents, but not all of them: some survive.
        #expect(accepted > 0 && accepted < Self.inputsPerParser, "accepted \(accepted)")
    }

    @Test func recipesSurviveMutation() throws {
        fuzz(seed: 1, corpus: try corpus(["recipes/caramelised-pork-mince.json", "recipes/reheat.json"])) {
            RecipeLoader.parse($0, source: $1)
        }
    }

    @Test func stationsSurviveMutation() throws {
        fuzz(seed: 2, corpus: try corpus(["config/station.json"])) { StationLoader.parse($0, source: $1) }
    }

    @Test func plantsSurviveMutation() throws {
        fuzz(seed: 3, corpus: try corpus(["Simulator/Plants/default.json", "Simulator/Plants/heavy-wok.json"])) {
            PlantLoader.parse($0, source: $1)
        }
    }

    @Test func rawBytesAreRefusedWithAPositionNotACrash() throws {
        let inputs = fuzzInputs(seed: 4, count: 1_000, corpus: try corpus(["recipes/reheat.json", "config/station.json"]))
        for (index, input) in inputs.enumerated() {
            do throws(JSONSyntaxError) {
                _ = try JSONParser.parse(utf8: input)
            } catch {
                #expect(error.line >= 1 && error.column >= 1 && !error.message.isEmpty, "input \(index): \(error)")
            }
        }
    }

    @Test func theGeneratorIsSeededAndBounded() {
        let corpus = [Array("{\"a\": [1, 2, 3], \"b\": \"text\"}\n{\"c\": null}".utf8)]
        #expect(fuzzInputs(seed: 9, count: 200, corpus: corpus) == fuzzInputs(seed: 9, count: 200, corpus: corpus))
        #expect(fuzzInputs(seed: 9, count: 50, corpus: corpus) != fuzzInputs(seed: 10, count: 50, corpus: corpus))
        #expect(fuzzInputs(seed: 9, count: 500, corpus: corpus).allSatisfy { $0.count <= FuzzInputs.maxBytes })
        #expect(fuzzInputs(seed: 1, count: 5, corpus: []).count == 5, "an empty corpus starts from {}")
    }
}
