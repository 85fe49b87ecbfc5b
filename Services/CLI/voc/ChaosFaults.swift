import Foundation
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// The faults `voc chaos` injects, one after the other, while interactions flow.
struct ChaosFaults {
    let broker: EmbeddedBroker
    let postgres: LocalPostgres
    let supervisors: [SupervisedProcess]
    /// The port of the speech engine transcribe supervises.
    let speechEnginePort: Int
    let seconds: Int
    let say: @Sendable (String) -> Void

    /// Every fault in turn, each followed by a recovery pause of half its length.
    func runAll(beforeSpeechEngine: () async throws -> Void) async throws {
        try await brokerDown()
        try await recover()
        try await requestErrors()
        try await recover()
        try await postgresRestart()
        try await recover()
        try await killStages()
        try await recover()
        try await beforeSpeechEngine()
        try await killSpeechEngine()
    }

    private func recover() async throws {
        try await Task.sleep(for: .seconds(max(1, seconds / 2)))
    }

    /// Broker 2 leaves the network; every partition's leader moves to broker 1 or 3
    /// first, and round the three brokers again once it is back.
    func brokerDown() async throws {
        try moveLeaders { partition in partition % 2 == 0 ? 1 : min(3, broker.brokerCount) }
        broker.setBrokerDown(2)
        say("broker 2 down for \(seconds) s, partition leaders moved to brokers 1 and 3")
        try await Task.sleep(for: .seconds(seconds))
        broker.setBrokerUp(2)
        try moveLeaders { partition in partition % broker.brokerCount + 1 }
        say("broker 2 back, leaders moved round the three brokers")
    }

    private func moveLeaders(_ leader: (Int) -> Int) throws {
        for topic in Topic.allCases {
            for partition in 0..<topic.defaultPartitions {
                try broker.moveLeader(topic: topic.rawValue, partition: partition, to: leader(partition))
            }
        }
    }

    /// Produce, Fetch and OffsetCommit requests answered with errors (and dropped
    /// connections), as a broker under a rolling restart answers them.
    func requestErrors() async throws {
        let rounds = max(1, seconds / 5)
        say("request errors on Produce, Fetch and OffsetCommit for \(seconds) s")
        for _ in 0..<rounds {
            broker.failNext(.produce, count: 20, with: [.notLeaderForPartition, .requestTimedOut, .disconnect])
            broker.failNext(.fetch, count: 20, with: [.notLeaderForPartition, .disconnect])
            broker.failNext(.offsetCommit, count: 10, with: [.notCoordinator, .rebalanceInProgress, .requestTimedOut])
            try await Task.sleep(for: .seconds(seconds / rounds))
        }
    }

    /// PostgreSQL stopped (fast shutdown: connections cut) and started again.
    func postgresRestart() async throws {
        try postgres.stop()
        say("PostgreSQL stopped for \(max(3, seconds / 2)) s")
        try await Task.sleep(for: .seconds(max(3, seconds / 2)))
        try postgres.start()
        say("PostgreSQL started again")
    }

    /// SIGKILL to analyze and then route, mid-stream; their supervisors restart them.
    func killStages() async throws {
        for name in ["voc-analyze", "voc-route"] {
            guard let pid = supervisors.first(where: { $0.name == name })?.pid else {
                say("\(name) was not running when it was to be killed")
                continue
            }
            kill(pid, SIGKILL)
            say("\(name) (pid \(pid)) killed with SIGKILL")
            try await Task.sleep(for: .seconds(max(1, seconds / 2)))
        }
    }

    /// SIGKILL to the local speech engine while recordings wait for it.
    func killSpeechEngine() async throws {
        let pids = Self.processes(matching: ["whisper_server.py", "--port\u{0}\(speechEnginePort)"])
        guard !pids.isEmpty else {
            say("no speech engine process on port \(speechEnginePort) to kill")
            return
        }
        for pid in pids { kill(pid, SIGKILL) }
        say("speech engine (pid \(pids.map(String.init).joined(separator: ", "))) killed with SIGKILL")
        try await Task.sleep(for: .seconds(seconds))
    }

    /// Processes whose NUL-separated command line contains every fragment.
    static func processes(matching fragments: [String]) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = pid_t(entry), pid != getpid(),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let line = String(decoding: data, as: UTF8.self)
            return fragments.allSatisfy(line.contains) ? pid : nil
        }
    }
}
