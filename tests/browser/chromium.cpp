#include "tests/browser/chromium.hpp"

#include <sstream>

#include "tests/support/support.hpp"

namespace bai2aml::testing {

BrowserPage render_in_chromium(const std::string& url, const std::string& png, int width, int height) {
  TempDir profile;
  BrowserPage page;
  const std::string out = profile.file("dom.html"), err = profile.file("chromium.log");
  page.exit_code = run_command({kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + profile.file("profile"),
                                "--enable-logging=stderr", "--v=0", "--screenshot=" + png,
                                "--window-size=" + std::to_string(width) + "," + std::to_string(height), "--dump-dom", url},
                               out, err, {}, std::chrono::seconds(90));
  page.dom = read_file(out);
  page.log = read_file(err);
  std::istringstream lines(page.log);
  for (std::string line; std::getline(lines, line);)
    if (line.find(":CONSOLE") != std::string::npos) page.console.push_back(line);
  return page;
}

}  // namespace bai2aml::testing
