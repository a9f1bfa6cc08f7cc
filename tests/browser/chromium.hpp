// One headless chromium run on a local page: the DOM after its scripts ran, a screenshot, and the
// console messages the page produced (an uncaught exception, a Content-Security-Policy violation).
#pragma once

#include <string>
#include <vector>

namespace bai2aml::testing {

struct BrowserPage {
  int exit_code = -1;
  std::string dom;                    // --dump-dom
  std::vector<std::string> console;  // the page's console lines, from chromium's log
  std::string log;                    // chromium's whole stderr, for failure messages
};

inline constexpr const char* kChromium = "/usr/bin/chromium";

// Loads `url` (file://...) at the window size, writes the PNG, dumps the DOM; one browser start.
BrowserPage render_in_chromium(const std::string& url, const std::string& png, int width, int height);

}  // namespace bai2aml::testing
