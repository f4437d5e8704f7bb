#include "core/date.h"
#include "core/errors.h"
#include "core/key_index.h"
#include "core/model.h"
#include "core/redact.h"
#include "core/utf8.h"
#include "support/printers.h"

#include <doctest/doctest.h>

using namespace borderlens::core;

TEST_CASE("dates parse in three precisions") {
  const auto day = Date::parse("2017-12-22");
  REQUIRE(day);
  CHECK(day->precision() == DatePrecision::Day);
  CHECK(day->firstDay() == day->lastDay());
  CHECK(day->toString() == "2017-12-22");

  const auto month = Date::parse("2018-02");
  REQUIRE(month);
  CHECK(month->precision() == DatePrecision::Month);
  CHECK(month->lastDay() - month->firstDay() == 27);
  CHECK(month->toString() == "2018-02");

  const auto leap = Date::parse("2016-02");
  REQUIRE(leap);
  CHECK(leap->lastDay() - leap->firstDay() == 28);

  const auto year = Date::parse("2019");
  REQUIRE(year);
  CHECK(year->precision() == DatePrecision::Year);
  CHECK(year->lastDay() - year->firstDay() == 364);
  CHECK(Date::fromDays(year->lastDay()).toString() == "2019-12-31");
}

TEST_CASE("dates print with zero-padded fields, in every precision and at the ends of the range") {
  CHECK(Date::ymd(2009, 1, 5).toString() == "2009-01-05");
  CHECK(Date::ym(2009, 10).toString() == "2009-10");
  CHECK(Date::y(2009).toString() == "2009");
  CHECK(Date::parse("0042-03-04")->toString() == "0042-03-04");
  CHECK(Date::parse("9999-12-31")->toString() == "9999-12-31");
  CHECK(Date::fromDays(Date::ymd(9999, 12, 31).firstDay() + 1).toString() == "10000-01-01");
  CHECK(Date::fromDays(Date::ymd(0, 1, 1).firstDay() - 1).toString() == "-001-12-31");
}

TEST_CASE("day numbers are days since 1970-01-01") {
  CHECK(Date::ymd(1970, 1, 1).firstDay() == 0);
  CHECK(Date::ymd(2000, 3, 1).firstDay() == 11017);
  CHECK(Date::fromDays(11017) == Date::ymd(2000, 3, 1));
}

TEST_CASE("invalid dates are refused") {
  for (const char* bad : {"", "17", "2017-13", "2017-02-30", "2017-1-5", "2017/01/05", "20170105",
                          "2017-01-05T00:00", "-2017", "2017-00", "abcd", "2017-01-"}) {
    CAPTURE(bad);
    CHECK_FALSE(Date::parse(bad));
  }
  CHECK_THROWS_AS(Date::parseOrThrow("2017-02-30"), UsageError);
}

TEST_CASE("time spans overlap windows with precision") {
  const TimeSpan year{Date::y(2019), std::nullopt};
  CHECK(year.overlaps({Date::ymd(2019, 6, 1).firstDay(), Date::ymd(2019, 6, 30).lastDay()}));
  CHECK_FALSE(year.overlaps({Date::ymd(2020, 1, 1).firstDay(), std::nullopt}));
  CHECK(year.overlaps({std::nullopt, Date::ymd(2019, 1, 1).firstDay()}));

  const TimeSpan edge{Date::ymd(2017, 12, 20), Date::ymd(2018, 1, 10)};
  CHECK(edge.overlaps({Date::ymd(2018, 1, 10).firstDay(), std::nullopt}));
  CHECK_FALSE(edge.overlaps({Date::ymd(2018, 1, 11).firstDay(), std::nullopt}));
  CHECK(edge.overlaps({std::nullopt, Date::ymd(2017, 12, 20).firstDay()}));
  CHECK_FALSE(edge.overlaps({std::nullopt, Date::ymd(2017, 12, 19).firstDay()}));

  const TimeSpan month{Date::ym(2018, 1), std::nullopt};
  CHECK(month.overlaps({Date::ymd(2018, 1, 31).firstDay(), Date::ymd(2018, 2, 5).firstDay()}));
  CHECK_FALSE(month.overlaps({Date::ymd(2018, 2, 1).firstDay(), std::nullopt}));
}

TEST_CASE("dates order by the days they cover") {
  CHECK(Date::ymd(2017, 1, 1) < Date::ymd(2017, 1, 2));
  CHECK(Date::y(2017) < Date::y(2018));
  CHECK(Date::ymd(2017, 1, 1) < Date::y(2017));  // same first day, shorter span first
}

TEST_CASE("scripts are detected per name") {
  CHECK(detectScript("Dandong Hongxiang") == Script::Latin);
  CHECK(detectScript("Sinŭiju") == Script::Latin);
  CHECK(detectScript("丹东鸿祥实业发展有限公司") == Script::Han);
  CHECK(detectScript("조선광선은행") == Script::Hangul);
  CHECK(detectScript("丹东 Co., Ltd.") == Script::Han);
  CHECK(detectScript("Корё") == Script::Cyrillic);
}

TEST_CASE("search tokens split Han and Hangul into syllables and keep words whole") {
  const auto tokens = searchTokens("Dandong 丹东鸿祥 Ji'an 단둥");
  std::vector<std::string> texts;
  for (const auto& t : tokens) texts.push_back(t.text);
  CHECK(texts == std::vector<std::string>{"Dandong", "丹", "东", "鸿", "祥", "Ji", "an", "단", "둥"});
  CHECK_FALSE(tokens[0].cjk);
  CHECK(tokens[1].cjk);
  CHECK(searchIndexText("KPe.029") == "KPe 029");
  CHECK(searchIndexText("\"; DROP TABLE x; --") == "DROP TABLE x");
}

TEST_CASE("UTF-8 validation finds the first bad byte") {
  CHECK(isValidUtf8("丹东 단둥 Sinŭiju"));
  CHECK(firstInvalidUtf8(std::string("ab\xff" "cd")) == 2);
  CHECK(firstInvalidUtf8(std::string("\xc0\xaf")) == 0);        // overlong '/'
  CHECK(firstInvalidUtf8(std::string("\xed\xa0\x80")) == 0);    // surrogate
  CHECK(firstInvalidUtf8(std::string("ok\xe4\xb8")) == 2);      // truncated
  CHECK(isValidUtf8("\xef\xbf\xbd"));                            // a literal U+FFFD is valid
}

TEST_CASE("model enums round-trip through their names") {
  for (auto kind : allEntityKinds()) CHECK(entityKindFromString(nameOf(kind)) == kind);
  CHECK_FALSE(entityKindFromString("ship"));
  CHECK(precisionFromString("city") == Precision::City);
  CHECK_FALSE(precisionFromString("exactly"));
  CHECK(isIncidentKind("ship_to_ship_transfer"));
  CHECK_FALSE(isIncidentKind("party"));
  CHECK(Round::makeId("UN", Date::ymd(2017, 12, 22)) == "UN-2017-12-22");
}

TEST_CASE("connection strings print without their passwords") {
  using borderlens::core::redactSecrets;
  CHECK(redactSecrets("postgresql://ana:s3cret@db.example:5432/border") ==
        "postgresql://ana:***@db.example:5432/border");
  CHECK(redactSecrets("postgres://ana:p@ss@db/border?sslmode=require") ==
        "postgres://ana:***@db/border?sslmode=require");
  CHECK(redactSecrets("postgresql://db/border?user=ana&password=s3cret&sslmode=require") ==
        "postgresql://db/border?user=ana&password=***&sslmode=require");
  CHECK(redactSecrets("postgresql://ana@db/border") == "postgresql://ana@db/border");
  CHECK(redactSecrets("PG:host=db dbname=border password=s3cret user=ana") ==
        "PG:host=db dbname=border password=*** user=ana");
  CHECK(redactSecrets(R"(host=db password = 'it\'s secret' user=ana)") ==
        "host=db password = *** user=ana");
  CHECK(redactSecrets("PG:service=border") == "PG:service=border");
  CHECK(redactSecrets("/home/ana/border lens/丹东.db") == "/home/ana/border lens/丹东.db");
}

TEST_CASE("a key index keeps the first value of each key, through growth and clearing") {
  KeyIndex index;
  CHECK_FALSE(index.find("").has_value());
  CHECK(index.insert("KPe.029", 0) == 0);
  CHECK(index.insert("KPe.029", 5) == 0);
  CHECK(index.find("KPe.029") == std::optional<std::int64_t>(0));
  CHECK(index.insert("", -3) == -3);
  CHECK(index.find("") == std::optional<std::int64_t>(-3));
  const std::string withNul("a\0b", 3);
  CHECK(index.insert(withNul, 7) == 7);
  CHECK_FALSE(index.find("a").has_value());
  CHECK(index.find(withNul) == std::optional<std::int64_t>(7));
  CHECK(index.size() == 3);

  // Far past the first table's size: every key still reads back its own value, once.
  int wrong = 0;
  for (std::int64_t i = 0; i < 50000; ++i) {
    if (index.insert("synthetic-" + std::to_string(i), i * 3) != i * 3) ++wrong;
  }
  for (std::int64_t i = 0; i < 50000; ++i) {
    if (index.insert("synthetic-" + std::to_string(i), -1) != i * 3) ++wrong;
    if (index.find("synthetic-" + std::to_string(i)) != std::optional<std::int64_t>(i * 3)) ++wrong;
  }
  CHECK(wrong == 0);
  CHECK(index.size() == 50003);
  CHECK_FALSE(index.find("synthetic-50000").has_value());

  index.clear();
  CHECK(index.size() == 0);
  CHECK_FALSE(index.find("KPe.029").has_value());
  CHECK(index.insert("KPe.029", 9) == 9);
}
