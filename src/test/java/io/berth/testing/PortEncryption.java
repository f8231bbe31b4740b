package io.berth.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Encrypts a secret input as Port does, with the stand-in's client secret. */
public final class PortEncryption {

    private PortEncryption() {
    }

    /** base64(iv[16] ‖ ciphertext ‖ tag[16]), AES-256-GCM, key = the first 32 bytes of the client secret. */
    public static String encrypt(String plain) {
        try {
            byte[] key = Arrays.copyOf(PortStandIn.CLIENT_SECRET.getBytes(StandardCharsets.UTF_8), 32);
            byte[] iv = new byte[16];
            new SecureRandom().nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder()
                    .encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
