// The chat page's script: Tornado's demos/websocket/static/chat.js without jQuery, so the page
// fetches nothing from outside the app. Enter or the Post button sends the message over the
// socket; every message the socket brings is appended to the inbox once.
"use strict";

const updater = {
    socket: null,

    start() {
        const scheme = location.protocol === "https:" ? "wss://" : "ws://";
        updater.socket = new WebSocket(scheme + location.host + "/chatsocket");
        updater.socket.onmessage = (event) => updater.showMessage(JSON.parse(event.data));
    },

    showMessage(message) {
        if (document.getElementById("m" + message.id)) return;
        const holder = document.createElement("div");
        holder.innerHTML = message.html;
        const node = holder.firstElementChild;
        if (node) document.getElementById("inbox").appendChild(node);
    },
};

function newMessage(form) {
    const body = form.querySelector("input[name=body]");
    updater.socket.send(JSON.stringify({ body: body.value }));
    body.value = "";
    body.select();
}

document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("messageform");
    form.addEventListener("submit", (event) => {
        event.preventDefault();
        newMessage(form);
    });
    document.getElementById("message").select();
    updater.start();
});
