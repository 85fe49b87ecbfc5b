import Testing
import VOCSchema
@testable import Transcribe

@Suite("Utterances: confidence floor and channel merge")
struct UtteranceBuilderTests {
    let engine = TranscriptReady.Engine(name: "e", version: "1")
    let identity: (Int, Int) -> (startMs: Int, endMs: Int)? = { ($0, max($0, $1)) }

    func word(_ text: String, _ start: Int, _ end: Int, _ confidence: Double = 0.9) -> RecognizedWord {
        RecognizedWord(text: text, startMs: start, endMs: end, confidence: confidence)
    }

    @Test("words become utterances at long pauses; two channels merge in time order with their roles")
    func merge() {
        let agent = EngineResult(language: "en", segments: [
            RecognizedSegment(startMs: 0, endMs: 1_000, text: " Hello there.", words: [word(" Hello", 0, 400), word(" there.", 400, 1_000)]),
            RecognizedSegment(startMs: 5_000, endMs: 6_000, text: " Anything else?", words: [word(" Anything", 5_000, 5_500), word(" else?", 5_500, 6_000)]),
        ], engine: engine)
        let customer = EngineResult(language: "en", segments: [
            RecognizedSegment(startMs: 2_000, endMs: 3_500, text: " Hi, my fee.", words: [word(" Hi,", 2_000, 2_300), word(" my", 2_400, 2_600), word(" fee.", 2_700, 3_500)]),
        ], engine: engine)
        var channels: [[TranscriptReady.TranscribedUtterance]] = []
        for (result, role) in [(agent, SpeakerRole.agent), (customer, .customer)] {
            let (words, dropped) = UtteranceBuilder.words(from: result, speaker: role, policy: UtterancePolicy(), toOriginal: identity)
            #expect(dropped.isEmpty)
            channels.append(UtteranceBuilder.utterances(words, policy: UtterancePolicy()).utterances)
        }
        let merged = UtteranceBuilder.merge(channels)
        #expect(merged.map(\.speaker) == [.agent, .customer, .agent])
        #expect(merged.map(\.text) == ["Hello there.", "Hi, my fee.", "Anything else?"])
        #expect(merged.map(\.startMs) == [0, 2_000, 5_000])
        #expect(merged.map(\.endMs) == [1_000, 3_500, 6_000])
        #expect(merged[0].confidence == 0.9)
    }

    @Test("an utterance below the confidence floor is dropped and recorded")
    func confidenceFloor() {
        var policy = UtterancePolicy()
        policy.confidenceFloor = 0.5
        let words = [TimedWord(speaker: .customer, text: " mumble", startMs: 0, endMs: 300, confidence: 0.2),
                     TimedWord(speaker: .customer, text: " mumble", startMs: 300, endMs: 600, confidence: 0.3),
                     TimedWord(speaker: .customer, text: " Clear.", startMs: 3_000, endMs: 3_400, confidence: 0.95)]
        let (utterances, dropped) = UtteranceBuilder.utterances(words, policy: policy)
        #expect(utterances.map(\.text) == ["Clear."])
        #expect(dropped == [TranscriptReady.DroppedSpeech(speaker: .customer, startMs: 0, endMs: 600, text: "mumble mumble",
                                                          confidence: 0.25, reason: .lowConfidence)])
    }

    @Test("segments the engine judges silent, and music markers, are dropped and recorded")
    func noSpeech() {
        let result = EngineResult(language: "en", segments: [
            RecognizedSegment(startMs: 0, endMs: 2_000, text: " Thank you.", averageLogProbability: -1.4, noSpeechProbability: 0.8,
                              words: [word(" Thank", 0, 500), word(" you.", 500, 900)]),
            RecognizedSegment(startMs: 3_000, endMs: 5_000, text: " ♪ [Music] Yes.", averageLogProbability: -0.3, noSpeechProbability: 0.1,
                              words: [word(" ♪", 3_000, 3_500), word(" [Music]", 3_500, 4_000), word(" Yes.", 4_200, 4_600)]),
        ], engine: engine)
        let (words, dropped) = UtteranceBuilder.words(from: result, speaker: .unknown, policy: UtterancePolicy(), toOriginal: identity)
        #expect(words.map(\.text) == [" Yes."])
        #expect(dropped.map(\.reason) == [.noSpeech, .nonSpeech, .nonSpeech])

        // Likely silence with unsure words is dropped even when the log-probability passes;
        // sure words in such a segment, and an unsure word in a speech segment, are kept.
        let trailing = EngineResult(language: "en", segments: [
            RecognizedSegment(startMs: 0, endMs: 2_600, text: " This is not a deposit.", averageLogProbability: -0.1, noSpeechProbability: 0.003,
                              words: [word(" This", 0, 300), word(" is", 300, 500), word(" not", 500, 700, 0.008), word(" a", 700, 800),
                                      word(" deposit.", 800, 2_600)]),
            RecognizedSegment(startMs: 2_600, endMs: 2_700, text: " it.", averageLogProbability: -0.99, noSpeechProbability: 0.62,
                              words: [word(" it.", 2_600, 2_700, 0.22)]),
            RecognizedSegment(startMs: 3_000, endMs: 3_400, text: " Okay.", averageLogProbability: -0.5, noSpeechProbability: 0.7,
                              words: [word(" Okay.", 3_000, 3_400, 0.9)]),
        ], engine: engine)
        let (kept, left) = UtteranceBuilder.words(from: trailing, speaker: .agent, policy: UtterancePolicy(), toOriginal: identity)
        #expect(kept.map(\.text) == [" This", " is", " not", " a", " deposit.", " Okay."])
        #expect(left.map(\.text) == ["it."])
        #expect(dropped[0].text == "Thank you.")
    }

    @Test("words timed wholly inside the silence between regions are dropped as made up")
    func wordsInSilence() {
        let result = EngineResult(language: "en", segments: [
            RecognizedSegment(startMs: 0, endMs: 3_000, text: " Yes. Thanks for watching.", averageLogProbability: -0.2,
                              words: [word(" Yes.", 0, 500), word(" Thanks", 1_200, 1_500), word(" for", 1_500, 1_700), word(" watching.", 1_700, 2_200)]),
        ], engine: engine)
        let (words, dropped) = UtteranceBuilder.words(from: result, speaker: .agent, policy: UtterancePolicy(),
                                                      toOriginal: { start, end in start < 1_000 ? (start, end) : nil })
        #expect(words.map(\.text) == [" Yes."])
        #expect(dropped.count == 1)
        #expect(dropped.first?.text == "Thanks for watching.")
        #expect(dropped.first?.reason == .noSpeech)
    }

    @Test("an engine without word times: each segment is one unit with the segment's confidence")
    func segmentsOnly() {
        let result = EngineResult(language: "en", segments: [
            RecognizedSegment(startMs: 1_000, endMs: 2_000, text: " First.", averageLogProbability: -0.1),
            RecognizedSegment(startMs: 4_000, endMs: 5_000, text: " Second.", averageLogProbability: -0.1),
        ], engine: engine)
        let (words, _) = UtteranceBuilder.words(from: result, speaker: .agent, policy: UtterancePolicy(), toOriginal: { ($0 + 100, $1 + 100) })
        #expect(words.count == 2)
        let (utterances, _) = UtteranceBuilder.utterances(words, policy: UtterancePolicy())
        #expect(utterances.map(\.text) == ["First.", "Second."])
        #expect(utterances.map(\.startMs) == [1_100, 4_100])
    }
}
