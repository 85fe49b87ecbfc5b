import Foundation
import Logging
import VOCRuntime

/// The learned model in force, reloaded when its file changes. A file that does not load
/// is logged with its path and the reason, and the previous model stays in force.
public final class ModelStore: Sendable {
    public let url: URL
    private let model: HotReloaded<LinearModel>

    /// Loads the file; it must be valid at start.
    /// - Throws: ``AnalyzeError`` when the file cannot be read or is not a model.
    public init(url: URL, checkInterval: Duration = .seconds(2), logger: Logger) throws(AnalyzeError) {
        self.url = url
        model = try HotReloaded(
            paths: [url.path], checkInterval: checkInterval,
            load: { () throws(AnalyzeError) -> LinearModel in try LinearModel.load(url) },
            reloaded: { model, previous in
                logger.notice("model reloaded", metadata: [
                    "path": "\(url.path)", "version": "\(model.version)", "previous": "\(previous.version)",
                ])
            },
            refused: { error, inForce in
                logger.error("model change ignored: the file does not load", metadata: [
                    "path": "\(url.path)", "error": "\(error)", "inForce": "\(inForce.version)",
                ])
            })
        logger.info("model loaded", metadata: ["path": "\(url.path)", "version": "\(model.current().version)"])
    }

    /// Why the last change was refused, while the refused file is still in place.
    public var lastError: String? { model.lastError }

    /// The model in force, reloading it first when the file changed.
    public func current() -> LinearModel { model.current() }
}
