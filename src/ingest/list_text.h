#pragma once

#include "core/model.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Text clean-up shared by the list parsers: the published lists pad names with spaces, mix
// line ends and write dates in several ways.
namespace borderlens::ingest {

// Trims and collapses every run of white space (spaces, tabs, line ends, no-break spaces) into
// one space: " CHO  CHUN RYONG " -> "CHO CHUN RYONG".
std::string cleanText(std::string_view text);

std::vector<std::string> splitText(std::string_view text, char separator);
std::string toLowerAscii(std::string_view text);
bool startsWithNoCase(std::string_view text, std::string_view prefix);
bool containsNoCase(std::string_view text, std::string_view needle);
std::string joinNonEmpty(const std::vector<std::string>& parts, std::string_view separator);

// Text folded for comparing names across lists: Latin letters to lower-case ASCII without
// accents ("Sinŭiju" -> "sinuiju"), apostrophes dropped ("P'yŏngan" -> "pyongan"), any other
// punctuation a space; Han and Hangul kept as they are. Words stay separated by spaces.
std::string foldForMatching(std::string_view text);

// A name as a list writes it, with its script detected and a language guessed from the script
// (Han: zh, Hangul: ko; Latin romanisations get none, since they are not English).
core::Name makeName(std::string_view text, bool primary, std::string quality = {});

// A birth date as the lists write it ("1964-07-17", "27 Apr 1941", "Nov 1950", "1964",
// "circa 1947") in ISO form at its precision ("1941-04-27", "1950-11", "1947"); nullopt when
// the text holds no recognisable date.
std::optional<std::string> normaliseBirthDate(std::string_view text);

// MM/DD/YYYY (OFAC Publish_Date) or YYYY-MM-DD[Thh:mm...] to a day-precision date.
std::optional<core::Date> parseListDate(std::string_view text);

} // namespace borderlens::ingest
