import Foundation
import Logging
import Synchronization

/// The rule pack in force, reloaded when its file changes.
///
/// At most every `checkInterval` a call to ``current()`` compares the file's
/// modification time and size with the loaded ones and, when they differ, loads and
/// compiles it again. A file that no longer parses is logged and the previous pack
/// stays in force, so a typo never stops the stage.
public final class RulePackStore: Sendable {
    public let url: URL
    public let checkInterval: Duration
    private let logger: Logger
    private let onLoad: @Sendable (CompiledRules) -> Void
    private let state: Mutex<State>

    private struct State {
        var rules: CompiledRules
        var stamp: Stamp?
        var lastCheck: ContinuousClock.Instant
    }

    struct Stamp: Equatable {
        var modified: Date
        var size: Int
    }

    /// Loads the file; it must be valid at start.
    /// - Parameter onLoad: runs after each successful load (analyze adds the pack's words to jieba).
    /// - Throws: ``AnalyzeError`` when the file cannot be read or compiled.
    public init(url: URL, checkInterval: Duration = .seconds(2), logger: Logger,
                onLoad: @escaping @Sendable (CompiledRules) -> Void = { _ in }) throws(AnalyzeError) {
        self.url = url
        self.checkInterval = checkInterval
        self.logger = logger
        self.onLoad = onLoad
        let stamp = Self.stamp(url)
        let rules = try CompiledRules.load(url)
        onLoad(rules)
        state = Mutex(State(rules: rules, stamp: stamp, lastCheck: .now))
        logger.info("rule pack loaded", metadata: ["path": "\(url.path)", "version": "\(rules.pack.version)"])
    }

    /// The pack in force, reloading it first when the file changed.
    public func current() -> CompiledRules {
        state.withLock { state in
            let now = ContinuousClock.now
            guard now - state.lastCheck >= checkInterval else { return state.rules }
            state.lastCheck = now
            let stamp = Self.stamp(url)
            guard stamp != state.stamp else { return state.rules }
            state.stamp = stamp
            do {
                let rules = try CompiledRules.load(url)
                onLoad(rules)
                logger.notice("rule pack reloaded", metadata: [
                    "path": "\(url.path)", "version": "\(rules.pack.version)", "previous": "\(state.rules.pack.version)",
                ])
                state.rules = rules
            } catch {
                logger.error("rule pack change ignored: the file does not load", metadata: ["path": "\(url.path)", "error": "\(error)"])
            }
            return state.rules
        }
    }

    static func stamp(_ url: URL) -> Stamp? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              let modified = attributes[.modificationDate] as? Date else { return nil }
        return Stamp(modified: modified, size: (attributes[.size] as? Int) ?? 0)
    }
}
