import Foundation
import Synchronization
import VOCRuntime

/// Samples the memory and CPU of the pipeline's processes once a second from `/proc`,
/// following a supervised process across restarts by its current pid.
final class ResourceSampler: Sendable {
    struct Usage: Codable, Sendable {
        var name: String
        /// The largest `VmHWM` seen (the kernel's own peak, so a spike between samples counts).
        var peakRSSMiB: Double
        /// `VmRSS` of the last sample.
        var lastRSSMiB: Double
        /// User + system CPU seconds spent between the first and the last sample, summed
        /// over every pid the process had.
        var cpuSeconds: Double
        /// User + system CPU seconds since the process (or its last restart) started.
        var cpuSecondsTotal: Double
        var restarts: Int
    }

    private struct Sample {
        var peakKiB = 0
        var lastKiB = 0
        /// First and last CPU ticks per pid.
        var ticks: [pid_t: (first: Int, last: Int)] = [:]
        var lastPid: pid_t?
    }

    private let processes: [(name: String, pid: @Sendable () -> pid_t?)]
    private let samples = Mutex<[String: Sample]>([:])
    private let running = Atomic<Bool>(true)

    /// - Parameter processes: each process's name and how to find its current pid.
    init(processes: [(name: String, pid: @Sendable () -> pid_t?)]) {
        self.processes = processes
    }

    convenience init(supervisors: [SupervisedProcess], including extra: [(String, pid_t)] = []) {
        var processes: [(name: String, pid: @Sendable () -> pid_t?)] = []
        for supervisor in supervisors { processes.append((supervisor.name, { supervisor.pid })) }
        for (name, pid) in extra { processes.append((name, { pid })) }
        self.init(processes: processes)
    }

    func run() async throws {
        while running.load(ordering: .relaxed) {
            sample()
            try await Task.sleep(for: .seconds(1))
        }
        sample()
    }

    func stop() {
        running.store(false, ordering: .relaxed)
    }

    func usage() -> [Usage] {
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        return samples.withLock { samples in
            processes.map { process in
                let sample = samples[process.name] ?? Sample()
                let spent = sample.ticks.values.reduce(0) { $0 + $1.last - $1.first }
                let total = sample.lastPid.flatMap { sample.ticks[$0]?.last } ?? 0
                return Usage(name: process.name, peakRSSMiB: Double(sample.peakKiB) / 1024, lastRSSMiB: Double(sample.lastKiB) / 1024,
                             cpuSeconds: Double(spent) / ticksPerSecond, cpuSecondsTotal: Double(total) / ticksPerSecond,
                             restarts: max(0, sample.ticks.count - 1))
            }
        }
    }

    private func sample() {
        for process in processes {
            guard let pid = process.pid(), let status = Self.status(pid), let ticks = Self.cpuTicks(pid) else { continue }
            samples.withLock { samples in
                var sample = samples[process.name] ?? Sample()
                sample.peakKiB = max(sample.peakKiB, status.hwm)
                sample.lastKiB = status.rss
                sample.ticks[pid] = (sample.ticks[pid]?.first ?? ticks, ticks)
                sample.lastPid = pid
                samples[process.name] = sample
            }
        }
    }

    /// `VmHWM` and `VmRSS` in KiB.
    static func status(_ pid: pid_t) -> (hwm: Int, rss: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func field(_ name: String) -> Int? {
            text.split(separator: "\n").first { $0.hasPrefix(name + ":") }?
                .split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
        }
        guard let hwm = field("VmHWM"), let rss = field("VmRSS") else { return nil }
        return (hwm, rss)
    }

    /// utime + stime from `/proc/PID/stat`, in clock ticks. The command name (field 2)
    /// may hold spaces, so fields are counted from the closing parenthesis.
    static func cpuTicks(_ pid: pid_t) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After ")": state is field 3, so utime (14) and stime (15) are at 11 and 12.
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }
}
