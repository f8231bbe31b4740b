package io.berth.polling.impl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A claimed run becomes the run message port-agent's polling processor builds, liberally read. */
class ClaimedRunTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void buildsPortAgentsMessageFromTheClaimedShape() throws Exception {
        ClaimedRun run = ClaimedRun.of(json("{'_id':'r_1','id':'r_1','payload':{'type':'WEBHOOK','url':'https://h/x',"
                + "'agent':true,'synchronized':true,'method':'PUT','headers':{'A':'b'},'body':{'context':"
                + "{'entity':'e'},'payload':{'action':{'identifier':'deploy'}}}}}"));

        assertThat(run.id()).isEqualTo("r_1");
        assertThat(run.forAgent()).isTrue();
        assertThat(run.message()).isEqualTo(json("{'context':{'entity':'e','runId':'r_1'},'payload':{'action':"
                + "{'identifier':'deploy','invocationMethod':{'type':'WEBHOOK','url':'https://h/x','synchronized':true,"
                + "'method':'PUT','headers':{'A':'b'}}}},'headers':{'A':'b'}}"));
    }

    @Test
    void fillsPortAgentsDefaultsForMissingFields() throws Exception {
        ClaimedRun run = ClaimedRun.of(json("{'id':'r_2','payload':{'type':'WEBHOOK','body':{}}}"));

        assertThat(run.forAgent()).isTrue();
        assertThat(run.message().at("/payload/action/invocationMethod")).isEqualTo(json(
                "{'type':'WEBHOOK','synchronized':false,'method':'POST','headers':{}}"));
        assertThat(run.message().at("/context/runId").asText()).isEqualTo("r_2");
    }

    @Test
    void readsOtherIdsAndTakesARunWithoutPayloadAsAMessageAlready() throws Exception {
        ClaimedRun run = ClaimedRun.of(json("{'identifier':'wfnr_9','payload':{'action':{'identifier':'a'}}}"));

        assertThat(run.id()).isEqualTo("wfnr_9");
        assertThat(run.message().at("/context/runId").asText()).isEqualTo("wfnr_9");
        assertThat(run.message().at("/payload/action/identifier").asText()).isEqualTo("a");
        assertThat(ClaimedRun.of(json("{'payload':{'body':{}}}")).id()).isNull();
    }

    @Test
    void saysWhenPortMarksTheRunNotForAnAgent() throws Exception {
        assertThat(ClaimedRun.of(json("{'id':'r_3','payload':{'type':'WEBHOOK','agent':false,'body':{}}}")).forAgent())
                .isFalse();
    }
}
