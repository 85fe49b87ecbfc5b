import Foundation
import Logging
import VOCRuntime

/// The rule pack in force, reloaded when its file changes. A file that no longer parses
/// is logged and the previous pack stays in force, so a typo never stops the stage.
public final class RulePackStore: Sendable {
    public let url: URL
    private let pack: HotReloaded<CompiledRules>

    /// Loads the file; it must be valid at start.
    /// - Parameter onLoad: runs after each successful load (analyze adds the pack's words to jieba).
    /// - Throws: ``AnalyzeError`` when the file cannot be read or compiled.
    public init(url: URL, checkInterval: Duration = .seconds(2), logger: Logger,
                onLoad: @escaping @Sendable (CompiledRules) -> Void = { _ in }) throws(AnalyzeError) {
        self.url = url
        pack = try HotReloaded(
            paths: [url.path], checkInterval: checkInterval,
            load: { () throws(AnalyzeError) -> CompiledRules in
                let rules = try CompiledRules.load(url)
                onLoad(rules)
                return rules
            },
            reloaded: { rules, previous in
                logger.notice("rule pack reloaded", metadata: [
                    "path": "\(url.path)", "version": "\(rules.pack.version)", "previous": "\(previous.pack.version)",
                ])
            },
            refused: { error, _ in
                logger.error("rule pack change ignored: the file does not load", metadata: ["path": "\(url.path)", "error": "\(error)"])
            })
        logger.info("rule pack loaded", metadata: ["path": "\(url.path)", "version": "\(pack.current().pack.version)"])
    }

    public var checkInterval: Duration { pack.checkInterval }

    /// The pack in force, reloading it first when the file changed.
    public func current() -> CompiledRules { pack.current() }
}
