import WokCore
import WokHistory
import WokSimulator

#if canImport(Glibc)
    import Glibc
#endif

/// `wok-bench history [DIR]`: how the cook history scales. Fills one database with 10,000 cooks
/// and times the query behind `wokctl history`; writes a year of daily cooks (a real simulated
/// cook, every tick) under the standard retention and reports the file's size; times the
/// commits the daemon makes on its loop.
enum HistoryBench {
    static func run(directory: String) {
        mkdir(directory, 0o755)
        let recipe = loadRecipe("caramelised-pork-mince")
        var simulation: CookSimulation
        do {
            simulation = try CookSimulation(SimulationConfig(recipe: recipe, seed: 1))
        } catch {
            fail("\(error)")
        }
        var rows: [TraceRow] = []
        while let row = simulation.step() { rows.append(row) }
        print("one simulated cook: \(rows.count) ticks, \(format(rows.last?.timeSeconds ?? 0, 0)) s")

        // 1. Listing 10,000 cooks (each a minute of ticks, so samples fill the file as in life).
        let manyPath = directory + "/many.sqlite3"
        remove(manyPath, wal: true)
        let fillStart = monotonicSeconds()
        do {
            let writer = try HistoryWriter(
                path: manyPath, retention: HistoryRetention(maxBytes: 1 << 40, maxAgeDays: nil), nowUnixSeconds: 0, durable: false)
            for number in 0..<10_000 {
                write(rows.prefix(240), recipe: number % 7 == 0 ? "Fried rice" : recipe.name, at: 1_600_000_000 + Double(number) * 3600, into: writer)
            }
        } catch {
            fail("\(error)")
        }
        print("filled 10,000 cooks in \(format(monotonicSeconds() - fillStart, 1)) s; file \(megabytes(fileSize(manyPath))) MB")
        var timings: [Double] = []
        for _ in 0..<20 {
            let start = monotonicSeconds()
            do {
                let reader = try HistoryReader(path: manyPath)
                let cooks = try reader.cooks(limit: 20)
                let filtered = try reader.cooks(recipe: "rice", limit: 20)
                guard cooks.count == 20, filtered.count == 20 else { fail("expected 20 cooks, got \(cooks.count)/\(filtered.count)") }
            } catch {
                fail("\(error)")
            }
            timings.append((monotonicSeconds() - start) * 1000)
        }
        timings.sort()
        print(
            "open + list 20 newest + list 20 by recipe, of 10,000: median \(format(timings[timings.count / 2])) ms, worst \(format(timings.last)) ms (target 100 ms)"
        )

        // 2. A year of daily cooks under the standard retention, durable as the daemon writes.
        let yearPath = directory + "/year.sqlite3"
        remove(yearPath, wal: true)
        var commitTimes: [Double] = []
        do {
            let writer = try HistoryWriter(path: yearPath, nowUnixSeconds: 1_600_000_000, durable: false)
            for day in 0..<365 {
                write(rows[...], recipe: recipe.name, at: 1_600_000_000 + Double(day) * 86_400, into: writer)
            }
            // The commit the loop pays every half second, measured with fsync on.
            let durable = try HistoryWriter(path: yearPath, nowUnixSeconds: 1_632_000_000)
            durable.beginCook(start(recipe.name, at: 1_632_000_000))
            for (index, row) in rows.prefix(2000).enumerated() {
                durable.append(sample(row))
                if index % 2 == 1 {
                    let begin = monotonicSeconds()
                    durable.flushNow()
                    commitTimes.append((monotonicSeconds() - begin) * 1000)
                }
            }
            durable.endCook(.completed, reason: nil, atSeconds: rows[1999].timeSeconds, nowUnixSeconds: 1_632_001_000)
            let cooks = try HistoryReader(path: yearPath).cookCount()
            print(
                "a year of daily cooks (\(rows.count) ticks each): \(cooks) cooks kept, \(megabytes(try durable.usedBytes())) MB used, file \(megabytes(fileSize(yearPath))) MB; limit \(megabytes(HistoryRetention.standard.maxBytes)) MB"
            )
        } catch {
            fail("\(error)")
        }
        commitTimes.sort()
        print(
            "a two-sample commit with fsync: median \(format(commitTimes[commitTimes.count / 2], 3)) ms, p99 \(format(commitTimes[commitTimes.count * 99 / 100], 3)) ms, worst \(format(commitTimes.last, 3)) ms (this disk; an SD card is slower)"
        )
    }

    static func start(_ name: String, at unixSeconds: Double) -> CookStart {
        CookStart(
            recipeName: name, recipeDocument: "{\"name\": \"\(name)\"}", recipeSource: "recipes/bench.json", station: "bench",
            startedBy: "uid 1000 (bench)", startedAtUnixSeconds: unixSeconds, stationSeconds: 0, firstStageIndex: 0,
            stages: [PlannedStage(name: "Preheat", targetC: 200), PlannedStage(name: "Cook", targetC: 230)])
    }

    static func sample(_ row: TraceRow) -> CookSample {
        CookSample(
            timeSeconds: row.timeSeconds, measuredC: row.measuredC, targetC: row.targetC, burnerOn: row.burner.isOn, duty: row.duty, trueC: nil)
    }

    static func write(_ rows: ArraySlice<TraceRow>, recipe: String, at unixSeconds: Double, into writer: HistoryWriter) {
        writer.beginCook(start(recipe, at: unixSeconds))
        for row in rows {
            for event in row.events { writer.record(CookEventRecord(event, timeSeconds: row.timeSeconds), stationSeconds: row.timeSeconds) }
            writer.append(sample(row))
            if writer.isRecording, Int(row.timeSeconds * 4) % 4 == 0 { writer.flushNow() }
        }
        writer.endCook(.completed, reason: nil, atSeconds: rows.last?.timeSeconds ?? 0, nowUnixSeconds: unixSeconds + (rows.last?.timeSeconds ?? 0))
        if let failure = writer.failure { fail(failure) }
    }

    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    static func megabytes(_ bytes: Int) -> String { format(Double(bytes) / 1_048_576, 1) }

    static func remove(_ path: String, wal: Bool) {
        unlink(path)
        unlink(path + "-wal")
        unlink(path + "-shm")
    }
}
