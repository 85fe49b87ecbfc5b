import Foundation
import Synchronization

/// A value loaded from files, loaded again when one of them changes.
///
/// At most every `checkInterval` a call to ``current()`` compares the files' modification
/// times and sizes with those of the last load; when they differ the value is loaded
/// again. A change that does not load is reported and the previous value stays in force,
/// so a typo in a rules file never stops a stage.
public final class HotReloaded<Value: Sendable>: Sendable {
    public let paths: [String]
    public let checkInterval: Duration
    private let load: @Sendable () throws -> Value
    private let reloaded: @Sendable (_ new: Value, _ previous: Value) -> Void
    private let refused: @Sendable (_ error: any Error, _ inForce: Value) -> Void
    private let state: Mutex<State>

    private struct State {
        var value: Value
        var stamps: [Stamp?]
        var lastCheck: ContinuousClock.Instant
        var lastError: String?
    }

    private struct Stamp: Equatable {
        var modified: Date
        var size: Int
    }

    /// Loads the value; the files must be valid at start.
    /// - Parameters:
    ///   - reloaded: told of every later successful load, with the value it replaces.
    ///   - refused: told of a change that did not load, with the value still in force.
    /// - Throws: what `load` throws.
    public init<Failure: Error>(paths: [String], checkInterval: Duration,
                                load: @escaping @Sendable () throws(Failure) -> Value,
                                reloaded: @escaping @Sendable (_ new: Value, _ previous: Value) -> Void,
                                refused: @escaping @Sendable (_ error: any Error, _ inForce: Value) -> Void) throws(Failure) {
        self.paths = paths
        self.checkInterval = checkInterval
        self.load = { try load() }
        self.reloaded = reloaded
        self.refused = refused
        let stamps = Self.stamps(paths)
        state = Mutex(State(value: try load(), stamps: stamps, lastCheck: .now))
    }

    /// Why the last change was refused, while the refused files are still in place.
    public var lastError: String? { state.withLock { $0.lastError } }

    /// The value in force, loaded again first when a file changed.
    public func current() -> Value {
        check(force: false)
    }

    /// Looks at the files now, whatever the check interval: for a caller that has just
    /// written one of them.
    @discardableResult
    public func checkNow() -> Value {
        check(force: true)
    }

    private func check(force: Bool) -> Value {
        state.withLock { state in
            let now = ContinuousClock.now
            guard force || now - state.lastCheck >= checkInterval else { return state.value }
            state.lastCheck = now
            let stamps = Self.stamps(paths)
            guard stamps != state.stamps else { return state.value }
            state.stamps = stamps
            do {
                let value = try load()
                reloaded(value, state.value)
                state.value = value
                state.lastError = nil
            } catch {
                refused(error, state.value)
                state.lastError = "\(error)"
            }
            return state.value
        }
    }

    private static func stamps(_ paths: [String]) -> [Stamp?] {
        paths.map { path in
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let modified = attributes[.modificationDate] as? Date else { return nil }
            return Stamp(modified: modified, size: (attributes[.size] as? Int) ?? 0)
        }
    }
}
