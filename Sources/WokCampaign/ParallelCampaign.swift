import Dispatch
import Synchronization
public import WokSimulator

/// Runs a fault campaign's cooks on several threads and adds them to one report in the order of
/// their indices, so the report is the same whatever the number of workers (each cook is a pure
/// function of the campaign and its index; see `FaultCampaign`).
///
/// Workers take the next few cooks in turn (cooks differ in length, so a fixed split would leave
/// one worker idle at the end); finished runs wait in `pending` until every cook before them is
/// in the report, which keeps what is held at once small whatever the campaign's size.
public enum ParallelCampaign {
    /// Cooks a worker takes at once: enough that taking them is nothing beside running them.
    static let cooksPerTake = 8

    /// The report of every cook of `campaign`, on `workers` threads (1: on this one), and the
    /// cooks that did not start, in order of index.
    public static func run(_ campaign: FaultCampaign, workers: Int) -> (report: CampaignReport, failures: [(index: Int, error: SimulationError)]) {
        let count = campaign.cookCount
        guard workers > 1, count > cooksPerTake else {
            var state = Merge()
            for index in 0..<count { state.add(index, run(campaign, index)) }
            return (state.report, state.failures)
        }
        let shared = Mutex(Shared())
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let first = shared.withLock { state in
                    let first = state.nextIndex
                    state.nextIndex += cooksPerTake
                    return first
                }
                guard first < count else { break }
                let runs = (first..<min(first + cooksPerTake, count)).map { run(campaign, $0) }
                shared.withLock { state in
                    state.pending[first] = runs
                    // Add every run whose turn has come.
                    while let ready = state.pending.removeValue(forKey: state.merge.nextIndex) {
                        for result in ready { state.merge.add(state.merge.nextIndex, result) }
                    }
                }
            }
        }
        let merged = shared.withLock { $0.merge }
        return (merged.report, merged.failures)
    }

    private static func run(_ campaign: FaultCampaign, _ index: Int) -> Result<CookVerdict, SimulationError> {
        Result { () throws(SimulationError) in try campaign.run(index) }
    }

    /// The report so far, built strictly in order of index.
    private struct Merge: Sendable {
        var report = CampaignReport()
        var failures: [(index: Int, error: SimulationError)] = []
        /// The index of the next cook to add.
        var nextIndex = 0

        mutating func add(_ index: Int, _ result: Result<CookVerdict, SimulationError>) {
            precondition(index == nextIndex, "cooks are added in order")
            switch result {
            case .success(let verdict): report.add(verdict)
            case .failure(let error): failures.append((index, error))
            }
            nextIndex += 1
        }
    }

    private struct Shared: Sendable {
        /// The first cook not yet taken by a worker.
        var nextIndex = 0
        /// Runs finished ahead of their turn, by the index of the first of them.
        var pending: [Int: [Result<CookVerdict, SimulationError>]] = [:]
        var merge = Merge()
    }
}
