import Foundation
import Testing
import VOCSchema
@testable import Transcribe

@Suite("verbose_json parsing")
struct VerboseJSONTests {
    let fallback = TranscriptReady.Engine(name: "http", version: "whisper-1")

    @Test("faster-whisper shape: words inside segments, probabilities, our engine description")
    func fasterWhisper() throws {
        let body = """
            {"task":"transcribe","language":"en","duration":3.5,"text":"Hello there.",
             "segments":[{"id":0,"start":0.0,"end":1.52,"text":" Hello there.","avg_logprob":-0.2,"no_speech_prob":0.01,
               "words":[{"word":" Hello","start":0.0,"end":0.64,"probability":0.91},{"word":" there.","start":0.64,"end":1.52,"probability":0.8}]}],
             "x_engine":{"name":"faster-whisper","version":"1.2.1","model":"whisper-base","compute_type":"int8"},"unknown":true}
            """
        let result = try VerboseTranscription.parse(Data(body.utf8), fallback: fallback)
        #expect(result.language == "en")
        #expect(result.engine == TranscriptReady.Engine(name: "faster-whisper", version: "1.2.1/whisper-base/int8"))
        #expect(result.segments.count == 1)
        #expect(result.segments[0].words == [
            RecognizedWord(text: " Hello", startMs: 0, endMs: 640, confidence: 0.91),
            RecognizedWord(text: " there.", startMs: 640, endMs: 1520, confidence: 0.8),
        ])
        #expect(abs((result.segments[0].confidence ?? 0) - exp(-0.2)) < 1e-9)
        #expect(result.segments[0].noSpeechProbability == 0.01)
    }

    @Test("OpenAI shape: words at the top level go to their segments; language names become tags")
    func openAI() throws {
        let body = """
            {"language":"english","duration":4.0,"text":"One. Two.",
             "segments":[{"start":0.0,"end":1.0,"text":" One."},{"start":2.0,"end":3.0,"text":" Two."}],
             "words":[{"word":"One","start":0.1,"end":0.5},{"word":"Two","start":2.1,"end":2.6}]}
            """
        let result = try VerboseTranscription.parse(Data(body.utf8), fallback: fallback)
        #expect(result.language == "en")
        #expect(result.engine == fallback)
        #expect(result.segments.map { $0.words.map(\.text) } == [["One"], ["Two"]])
        #expect(result.segments[1].words[0].confidence == nil)
    }

    @Test("a plain json answer becomes one untimed segment; a broken body is a bad response")
    func plainAndBroken() throws {
        let plain = try VerboseTranscription.parse(Data(#"{"text":"just text","duration":2}"#.utf8), fallback: fallback)
        #expect(plain.segments == [RecognizedSegment(startMs: 0, endMs: 2000, text: "just text")])
        #expect(throws: TranscribeError.self) { try VerboseTranscription.parse(Data("<html>busy</html>".utf8), fallback: fallback) }
        do {
            _ = try VerboseTranscription.parse(Data("[]".utf8), fallback: fallback)
            Issue.record("an array is not an answer")
        } catch {
            #expect(error.code == .badResponse)
            #expect(error.isRetriable)
        }
    }
}
