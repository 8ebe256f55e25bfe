PUBLISHED = []


class MQTTClient:
    def __init__(self, client_id, server, port=0, user=None, password=None, keepalive=0):
        self.server = server

    def connect(self, clean_session=True, timeout=None):
        pass

    def publish(self, topic, msg, retain=False, qos=0):
        PUBLISHED.append((topic, msg, qos))

    def disconnect(self):
        pass
