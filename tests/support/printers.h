#pragma once

#include "core/model.h"
#include "store/store.h"

#include <doctest/doctest.h>

// Lets doctest print the project's enums in failure messages (doctest 2.4.9 cannot stringify an
// enum class on its own).
#define BORDERLENS_DOCTEST_PRINT(Type, expr)                             \
  template <>                                                            \
  struct doctest::StringMaker<Type> {                                    \
    static doctest::String convert(const Type& value) { return (expr); } \
  };

BORDERLENS_DOCTEST_PRINT(borderlens::core::Script, borderlens::core::nameOf(value))
BORDERLENS_DOCTEST_PRINT(borderlens::core::Precision, borderlens::core::nameOf(value))
BORDERLENS_DOCTEST_PRINT(borderlens::core::DatePrecision, borderlens::core::nameOf(value))
BORDERLENS_DOCTEST_PRINT(borderlens::core::EntityKind, borderlens::core::nameOf(value))
BORDERLENS_DOCTEST_PRINT(borderlens::core::Date, value.toString().c_str())
BORDERLENS_DOCTEST_PRINT(borderlens::store::FeatureType, borderlens::store::nameOf(value))

#undef BORDERLENS_DOCTEST_PRINT
