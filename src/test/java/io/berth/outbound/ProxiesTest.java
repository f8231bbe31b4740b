package io.berth.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The proxy of a url is the one Python's requests would choose from the same environment. */
class ProxiesTest {

    static Proxies proxies(Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        Proxies proxies = Proxies.read(environment, problems);
        assertThat(problems).isEmpty();
        return proxies;
    }

    static Optional<String> hostOf(Proxies proxies, String url) {
        return proxies.forUrl(url).map(proxy -> proxy.host() + ":" + proxy.port());
    }

    @Test
    void httpsUrlsTakeHttpsProxyAndHttpUrlsHttpProxy() {
        Proxies proxies = proxies(Map.of("HTTPS_PROXY", "http://secure:3128", "HTTP_PROXY", "http://plain:3128"));

        assertThat(hostOf(proxies, "https://api.port.io/v1")).contains("secure:3128");
        assertThat(hostOf(proxies, "http://hooks.example/x")).contains("plain:3128");
    }

    @Test
    void allProxyServesASchemeWithoutItsOwn() {
        Proxies proxies = proxies(Map.of("ALL_PROXY", "http://every:8080", "HTTP_PROXY", "http://plain:3128"));

        assertThat(hostOf(proxies, "https://api.port.io")).contains("every:8080");
        assertThat(hostOf(proxies, "http://hooks.example")).contains("plain:3128");
    }

    @Test
    void lowerCaseWinsAndAnEmptyLowerCaseOneDisablesTheUpperCaseOne() {
        assertThat(hostOf(proxies(Map.of("https_proxy", "http://lower:1", "HTTPS_PROXY", "http://upper:2")),
                "https://api.port.io")).contains("lower:1");
        assertThat(hostOf(proxies(Map.of("https_proxy", "", "HTTPS_PROXY", "http://upper:2")),
                "https://api.port.io")).isEmpty();
    }

    @Test
    void aProxyWithoutSchemeIsHttpAndWithoutPortIsPort80() {
        Proxies proxies = proxies(Map.of("HTTPS_PROXY", "proxy.corp"));

        assertThat(proxies.forUrl("https://api.port.io")).get().satisfies(proxy -> {
            assertThat(proxy.host()).isEqualTo("proxy.corp");
            assertThat(proxy.port()).isEqualTo(80);
            assertThat(proxy.username()).isEmpty();
        });
    }

    @Test
    void credentialsArePercentDecodedAndNeverShown() {
        ProxyAddress proxy = proxies(Map.of("HTTPS_PROXY", "http://us%40er:s3cr%3At@proxy:3128"))
                .forUrl("https://api.port.io").orElseThrow();

        assertThat(proxy.username()).contains("us@er");
        assertThat(proxy.password().orElseThrow().reveal()).isEqualTo("s3cr:t");
        assertThat(proxy).hasToString("http://proxy:3128 (HTTPS_PROXY)");
        assertThat(proxies(Map.of("HTTPS_PROXY", "http://u:s3cret@proxy:3128")).describe()).doesNotContain("s3cret");
    }

    @Test
    void noProxyBypassesHostsEndingWithAnEntryAsRequestsDoes() {
        Map<String, String> environment = new HashMap<>(Map.of("HTTPS_PROXY", "http://proxy:3128"));
        environment.put("NO_PROXY", " .corp.example , internal.example:8443,10.0.0.0/8,Localhost");
        Proxies proxies = proxies(environment);

        assertThat(hostOf(proxies, "https://corp.example/x")).as("a leading dot still matches the domain").isEmpty();
        assertThat(hostOf(proxies, "https://api.corp.example/x")).isEmpty();
        assertThat(hostOf(proxies, "https://LOCALHOST:9000/x")).as("any case").isEmpty();
        assertThat(hostOf(proxies, "https://internal.example:8443/x")).isEmpty();
        assertThat(hostOf(proxies, "https://internal.example/x")).as("the entry names a port").isPresent();
        assertThat(hostOf(proxies, "https://10.2.3.4/x")).isEmpty();
        assertThat(hostOf(proxies, "https://11.2.3.4/x")).isPresent();
        assertThat(hostOf(proxies, "https://api.port.io/x")).isPresent();
    }

    @Test
    void noProxyStarBypassesEveryHostAndLowerCaseNoProxyWins() {
        assertThat(hostOf(proxies(Map.of("HTTPS_PROXY", "http://proxy:3128", "NO_PROXY", "*")), "https://a.b"))
                .isEmpty();
        assertThat(hostOf(proxies(Map.of("HTTPS_PROXY", "http://proxy:3128", "no_proxy", "a.b", "NO_PROXY", "*")),
                "https://c.d")).isPresent();
    }

    @Test
    void aProxyBerthCannotReachStopsStartUpNamingTheVariableWithoutCredentials() {
        List<String> problems = new ArrayList<>();
        Proxies.read(Map.of("HTTPS_PROXY", "socks5://user:s3cret@socks:1080", "http_proxy", "http://[bad"), problems);

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("http_proxy is not a url");
        assertThat(problems.get(1)).startsWith("HTTPS_PROXY 'socks5://socks:1080': Berth reaches proxies over http://");
        assertThat(String.join("\n", problems)).doesNotContain("s3cret").doesNotContain("[bad");
    }
}
