// jieba's HMM for runs of characters the dictionary does not join: a check of the model
// file, and cppjieba's HMMSegment over flat tables.

#ifndef VOC_JIEBA_HMM_HPP
#define VOC_JIEBA_HMM_HPP

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "dict_trie.hpp"  // cppjieba::MIN_DOUBLE, which the Viterbi starts from
#include "cppjieba/HMMModel.hpp"

// cppjieba's HMMModel aborts the process on a file it cannot read; this reads the file
// by the same rules first (comments and blank lines skipped, 4 start probabilities, 4
// rows of 4 transitions, 4 lines of "character:probability" pairs), so a bad file is an
// error with its line number instead.
inline bool CheckHMMModel(const std::string& path, std::string& error) {
  std::ifstream file(path.c_str());
  if (!file.is_open()) {
    error = "cannot open " + path;
    return false;
  }
  std::string line;
  size_t number = 0;
  size_t rows = 0;
  std::vector<std::string> columns, pair;
  while (rows < 9 && std::getline(file, line)) {
    number++;
    limonp::Trim(line);
    if (line.empty() || limonp::StartsWith(line, "#")) continue;
    const std::string where = path + " line " + std::to_string(number);
    if (rows < 5) {
      limonp::Split(line, columns, " ");
      if (columns.size() != 4) {
        error = where + ": expected 4 probabilities";
        return false;
      }
    } else {
      limonp::Split(line, columns, ",");
      for (size_t i = 0; i < columns.size(); i++) {
        limonp::Split(columns[i], pair, ":");
        cppjieba::Unicode character;
        if (pair.size() != 2 || !cppjieba::DecodeRunesInString(pair[0], character) || character.size() != 1) {
          error = where + ": expected character:probability pairs";
          return false;
        }
      }
    }
    rows++;
  }
  if (rows < 9) {
    error = path + " ends early: expected 9 lines of the model";
    return false;
  }
  return true;
}

// cppjieba's HMMSegment over the same model: a character's four emission probabilities
// sit in one table slot (HMMSegment looks each up in its own hash map) and the Viterbi
// buffers are the thread's. The sums and comparisons are HMMSegment's, in its order, so
// the cut is the same.
class FastHMM {
 public:
  explicit FastHMM(const cppjieba::HMMModel& model) {
    for (size_t y = 0; y < kStates; y++) {
      start_[y] = model.startProb[y];
      for (size_t to = 0; to < kStates; to++) trans_[y][to] = model.transProb[y][to];
    }
    std::vector<cppjieba::Rune> runes;
    for (size_t y = 0; y < kStates; y++) {
      for (cppjieba::EmitProbMap::const_iterator it = model.emitProbVec[y]->begin(); it != model.emitProbVec[y]->end(); ++it) {
        runes.push_back(it->first);
      }
    }
    std::sort(runes.begin(), runes.end());
    runes.erase(std::unique(runes.begin(), runes.end()), runes.end());
    size_t capacity = 16;
    while (capacity < runes.size() * 2) capacity <<= 1;
    slots_.assign(capacity, Slot());
    for (size_t i = 0; i < runes.size(); i++) {
      Slot& slot = slots_[Find(runes[i])];
      slot.rune = runes[i];
      slot.used = true;
      for (size_t y = 0; y < kStates; y++) {
        cppjieba::EmitProbMap::const_iterator it = model.emitProbVec[y]->find(runes[i]);
        slot.emit[y] = it == model.emitProbVec[y]->end() ? cppjieba::MIN_DOUBLE : it->second;
      }
    }
    for (size_t y = 0; y < kStates; y++) unknown_[y] = cppjieba::MIN_DOUBLE;
  }

  // HMMSegment::Cut: ASCII letters (with digits after them) and numbers are words of their
  // own, the other runs go through the HMM.
  void Cut(const cppjieba::RuneStr* begin, const cppjieba::RuneStr* end, std::vector<cppjieba::WordRange>& res) const {
    const cppjieba::RuneStr* left = begin;
    const cppjieba::RuneStr* right = begin;
    while (right != end) {
      if (right->rune < 0x80) {
        if (left != right) InternalCut(left, right, res);
        left = right;
        right = LettersThenDigits(left, end);
        if (right == left) right = Number(left, end);
        if (right == left) right++;
        res.push_back(cppjieba::WordRange(left, right - 1));
        left = right;
      } else {
        right++;
      }
    }
    if (left != right) InternalCut(left, right, res);
  }

 private:
  static const size_t kStates = cppjieba::HMMModel::STATUS_SUM;

  struct Slot {
    cppjieba::Rune rune = 0;
    bool used = false;
    double emit[kStates];
  };

  size_t Find(cppjieba::Rune rune) const {
    const size_t mask = slots_.size() - 1;
    size_t slot = size_t((uint64_t(rune) * 0x9E3779B97F4A7C15ull) >> 32) & mask;
    while (slots_[slot].used && slots_[slot].rune != rune) slot = (slot + 1) & mask;
    return slot;
  }

  const double* Emit(cppjieba::Rune rune) const {
    const Slot& slot = slots_[Find(rune)];
    return slot.used ? slot.emit : unknown_;
  }

  static const cppjieba::RuneStr* LettersThenDigits(const cppjieba::RuneStr* begin, const cppjieba::RuneStr* end) {
    cppjieba::Rune x = begin->rune;
    if (!(('a' <= x && x <= 'z') || ('A' <= x && x <= 'Z'))) return begin;
    for (begin++; begin != end; begin++) {
      x = begin->rune;
      if (!(('a' <= x && x <= 'z') || ('A' <= x && x <= 'Z') || ('0' <= x && x <= '9'))) break;
    }
    return begin;
  }

  static const cppjieba::RuneStr* Number(const cppjieba::RuneStr* begin, const cppjieba::RuneStr* end) {
    cppjieba::Rune x = begin->rune;
    if (!('0' <= x && x <= '9')) return begin;
    for (begin++; begin != end; begin++) {
      x = begin->rune;
      if (!(('0' <= x && x <= '9') || x == '.')) break;
    }
    return begin;
  }

  // Viterbi over B, E, M, S; a word ends at each E or S.
  void InternalCut(const cppjieba::RuneStr* begin, const cppjieba::RuneStr* end, std::vector<cppjieba::WordRange>& res) const {
    static thread_local std::vector<double> weight;
    static thread_local std::vector<int> path;
    const size_t X = size_t(end - begin);
    weight.resize(X * kStates);
    path.resize(X * kStates);
    const double* emit = Emit(begin->rune);
    for (size_t y = 0; y < kStates; y++) {
      weight[y * X] = start_[y] + emit[y];
      path[y * X] = -1;
    }
    for (size_t x = 1; x < X; x++) {
      emit = Emit((begin + x)->rune);
      for (size_t y = 0; y < kStates; y++) {
        const size_t now = x + y * X;
        weight[now] = cppjieba::MIN_DOUBLE;
        path[now] = cppjieba::HMMModel::E;
        for (size_t from = 0; from < kStates; from++) {
          const double value = weight[x - 1 + from * X] + trans_[from][y] + emit[y];
          if (value > weight[now]) {
            weight[now] = value;
            path[now] = int(from);
          }
        }
      }
    }
    const double endE = weight[X - 1 + cppjieba::HMMModel::E * X];
    const double endS = weight[X - 1 + cppjieba::HMMModel::S * X];
    static thread_local std::vector<size_t> status;
    status.resize(X);
    size_t state = endE >= endS ? size_t(cppjieba::HMMModel::E) : size_t(cppjieba::HMMModel::S);
    for (size_t x = X; x-- > 0;) {
      status[x] = state;
      state = size_t(path[x + state * X]);
    }
    const cppjieba::RuneStr* left = begin;
    for (size_t i = 0; i < X; i++) {
      if (status[i] % 2) {
        res.push_back(cppjieba::WordRange(left, begin + i));
        left = begin + i + 1;
      }
    }
  }

  double start_[kStates];
  double trans_[kStates][kStates];
  double unknown_[kStates];
  std::vector<Slot> slots_;
};

#endif
